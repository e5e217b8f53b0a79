"""Track a fulfilment's parcels: the brand's native carrier account first, the aggregator otherwise.

Routing, per tracking number: the carrier comes from the number's format and check digit
(`detect`), else from the store's `tracking_company`. If the brand has a native account with that
carrier (`carriers.native` in its config) the carrier's own API answers and nothing else is asked;
only a carrier without one goes to the aggregator (`carriers.aggregator`); with neither, no lookup
is made. A failed lookup never fails the order: it reads "unavailable" and costs nothing.

Every lookup made writes one cost-ledger row (invariant: honest accounting) through the ledger
the API puts on the run's `BrandContext.costs`: brand, thread, carrier, native or aggregator, outcome,
cost. The same facts travel with the tool result (`Lookup.as_fact`).
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from brands import ApiKeyCarrier, OAuthCarrier
from brands.context import BrandContext, thread_id
from config.settings import EndpointsError
from tools.carriers import aggregator, dhl, fedex, ups, usps
from tools.carriers.detect import carrier_from_company, carrier_name, detect, normalise_number
from tools.carriers.normal import TrackingResult, describe
from tools.errors import NotFound, ToolError

log = logging.getLogger(__name__)

Via = Literal["native", "aggregator"]
Outcome = Literal["found", "no_data", "error"]
"""`found`: tracking data; `no_data`: the carrier answered but knows nothing yet (404, an
unknown tracker); `error`: no usable answer (timeout, 5xx, 401, not configured): costs nothing."""


@dataclass(frozen=True)
class Lookup:
    tracking_number: str
    carrier: str
    """Carrier slug from the number (or the store's carrier name); `unknown` if neither tells."""
    company: str | None
    """The carrier as the store wrote it, for the sentence when the slug is unknown."""
    via: Via | None
    """None: nothing is configured for this carrier, so no lookup was made."""
    outcome: Outcome | None
    cost: Decimal
    currency: str
    result: TrackingResult | None = None

    def as_fact(self) -> dict[str, Any]:
        """The lookup as plain data for the turn's state: no secrets, no third-party text."""
        return {
            "tracking_number": self.tracking_number,
            "carrier": self.carrier,
            "via": self.via,
            "outcome": self.outcome,
            "cost": float(self.cost),
            "currency": self.currency,
        }


def _native(
    carrier: str, account: OAuthCarrier | ApiKeyCarrier, number: str, ctx: BrandContext
) -> Awaitable[TrackingResult]:
    if isinstance(account, ApiKeyCarrier):
        return dhl.track(number, account, ctx)
    modules = {"ups": ups.track, "fedex": fedex.track, "usps": usps.track}
    return modules[carrier](number, account, ctx)


async def _fetch(
    fetch: Awaitable[TrackingResult], number: str, ctx: BrandContext
) -> tuple[Outcome, TrackingResult | None]:
    try:
        result = await fetch
    except NotFound:
        return "no_data", None
    except (ToolError, EndpointsError) as exc:
        log.info("tracking %s failed for brand %s: %r", number, ctx.brand_id, exc)
        return "error", None
    return ("found" if result.has_data else "no_data"), result


async def track(tracking_number: str, company: str | None, ctx: BrandContext) -> Lookup:
    """Look one tracking number up and record its cost; never raises for a carrier failure."""
    number = normalise_number(tracking_number)
    detection = detect(number)
    carrier = detection.carrier if detection else carrier_from_company(company) or "unknown"
    config = ctx.brand.carriers
    account = config.native.account(carrier)
    if account is not None:
        via: Via = "native"
        price = account.cost_per_lookup
        fetch = _native(carrier, account, number, ctx)
    elif config.aggregator is not None:
        via, price = "aggregator", config.aggregator.price_per_lookup
        fetch = aggregator.track(number, carrier, config.aggregator, ctx)
    else:
        return Lookup(number, carrier, company, None, None, Decimal(0), config.currency)
    outcome, result = await _fetch(fetch, number, ctx)
    cost = price if outcome != "error" else Decimal(0)
    lookup = Lookup(number, carrier, company, via, outcome, cost, config.currency, result)
    await _record(lookup, ctx)
    return lookup


async def _record(lookup: Lookup, ctx: BrandContext) -> None:
    if ctx.costs is None:
        log.debug("no cost ledger in this run; lookup of %s not recorded", lookup.tracking_number)
        return
    await ctx.costs.record_lookup(
        lookup_id=str(uuid.uuid4()),
        brand_id=ctx.brand_id,
        thread_id=thread_id(ctx.brand_id, ctx.conversation_id),
        carrier=lookup.carrier,
        via=lookup.via or "",
        tracking_number=lookup.tracking_number,
        outcome=lookup.outcome or "",
        cost=lookup.cost,
        currency=lookup.currency,
    )


def tracking_numbers(fulfilment: Mapping[str, Any]) -> list[str]:
    """A Shopify fulfilment's tracking numbers, each once, in order."""
    numbers = [fulfilment.get("tracking_number"), *(fulfilment.get("tracking_numbers") or [])]
    return list(dict.fromkeys(n for n in numbers if isinstance(n, str) and n.strip()))


async def track_order(order: Mapping[str, Any], ctx: BrandContext) -> list[Lookup]:
    """Look up every tracking number of every fulfilment of a Shopify order, side by side."""
    jobs = [
        track(number, f.get("tracking_company"), ctx)
        for f in order.get("fulfillments") or []
        if isinstance(f, dict)
        for number in tracking_numbers(f)
    ]
    return list(await asyncio.gather(*jobs))


def describe_lookup(lookup: Lookup) -> str:
    """The sentence for one lookup: the normalised result, or why there is none."""
    if lookup.result is not None and lookup.outcome == "found":
        return describe(lookup.result)
    name = carrier_name(lookup.carrier) if lookup.carrier != "unknown" else lookup.company or "Carrier"
    head = f"{name} tracking {lookup.tracking_number}:"
    if lookup.outcome == "no_data":
        return f"{head} the carrier has no tracking events for it yet."
    return f"{head} live tracking is unavailable right now."


def describe_lookups(lookups: Sequence[Lookup]) -> list[str]:
    return [describe_lookup(lookup) for lookup in lookups]
