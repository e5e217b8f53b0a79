"""Erase text: one customer's (`DELETE /v1/customers/{customer_id}`) or a brand's conversations older
than its `retention_days` (`python -m service retention`).

A conversation is erased whole, while it is held (no turn or event on it meanwhile): its messages,
stored responses, owner row, run history and every LangGraph checkpoint (`checkpoint.erasure`), and the
tracking numbers of its lookups in the cost ledger. Billing is kept as it was: the ledger's accounts,
events and entries hold no text, so the automation report counts the same before and after.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from datetime import UTC, datetime, timedelta

from accounting.costs import CostLedger
from brands import BrandConfig
from checkpoint.erasure import customer_threads, erase_thread, quiet_threads
from checkpoint.factory import Persistence
from service.core import Service
from service.results import ErasedOut, ErasureOut

Hold = Callable[[str], AbstractAsyncContextManager[None]]
"""How a thread is held while it is erased: `Service.hold` in the API, the database's lock in a CLI."""


async def erase_threads(
    persistence: Persistence, costs: CostLedger, threads: Sequence[str], hold: Hold
) -> ErasedOut:
    """Erase each of `threads`, held one at a time; what was erased in all."""
    erased: Counter[str] = Counter()
    for thread in threads:
        async with hold(thread):
            erased["tracking_numbers"] += await costs.forget_tracking(thread)  # first: see `erase_thread`
            erased += await erase_thread(persistence, thread)
    return ErasedOut(
        conversations=len(threads),
        **{name: erased[name] for name in ErasedOut.model_fields if name != "conversations"},
    )


async def erase_customer(svc: Service, brand: BrandConfig, customer_id: str) -> ErasureOut:
    """Erase every conversation of the brand in which `customer_id` wrote (tier one: this brand's only)."""
    threads = await customer_threads(svc.persistence.db, brand.brand_id, customer_id)
    erased = await erase_threads(svc.persistence, svc.costs, threads, svc.hold)
    return ErasureOut(customer_id=customer_id, **erased.model_dump())


async def apply_retention(
    persistence: Persistence, costs: CostLedger, brands: Mapping[str, BrandConfig], now: datetime, hold: Hold
) -> dict[str, ErasedOut]:
    """Erase, for each brand with `retention_days`, its conversations quiet for longer; by brand."""
    done: dict[str, ErasedOut] = {}
    for brand in brands.values():
        if brand.retention_days is None:
            continue
        cutoff = (now.astimezone(UTC) - timedelta(days=brand.retention_days)).isoformat(
            timespec="milliseconds"
        )
        threads = await quiet_threads(persistence.db, brand.brand_id, cutoff)
        done[brand.brand_id] = await erase_threads(persistence, costs, threads, hold)
    return done
