"""Feed the ledger: record a conversation's accounting events and settle what fell due.

Between the service layer and `accounting/ledger.py`: decisions come from the pure policy in
`accounting/billing.py`, this module only loads, applies and stores. Callers hold the thread's lock
while recording; the sweep (`settle_brand`, run by the report and the CLI) takes no lock, so it
re-reads before deciding and its writes are keyed, and any interleaving converges.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from accounting.billing import BillingPolicy, entries_due, is_pending, step
from accounting.ledger import Account, Entry, Ledger
from accounting.segments import ConversationEvent
from brands import BrandConfig

SETTLE_PASSES = 3
"""A settle re-reads and decides again until nothing is owed; two passes always suffice."""


def policy_of(brand: BrandConfig) -> BillingPolicy:
    return BillingPolicy.of(
        brand.billing_mode,
        brand.price_per_automated_conversation,
        brand.assisted_share,
        brand.inactivity_window_hours,
    )


async def record(
    ledger: Ledger,
    brand: BrandConfig,
    thread: str,
    conversation_id: str,
    events: Sequence[tuple[str, ConversationEvent]],
    now: datetime,
) -> list[Entry]:
    """Apply each `(event_key, kind)` once, in order; a key already recorded changes nothing.

    All of it is one batch (`checkpoint/db.py`): one commit for the whole call."""
    policy = policy_of(brand)
    written: list[Entry] = []
    async with ledger.batch() as batched:
        for key, kind in events:
            if await batched.seen(thread, key):
                continue
            account = await batched.account(thread) or Account(thread, brand.brand_id, conversation_id)
            booked = await batched.entries(thread)
            account, owed = step(account, booked, kind, now, policy)
            await batched.save(account)
            written += [e for e in owed if await batched.add(account, e, now)]
            await batched.mark_pending(account, is_pending(account, [*booked, *owed], policy))
            await batched.log(thread, brand.brand_id, key, kind, now)
    return written


async def settle(ledger: Ledger, thread: str, policy: BillingPolicy, now: datetime) -> list[Entry]:
    """Write what is owed on one conversation at `now` (a charge fallen due, a credit)."""
    written: list[Entry] = []
    for _ in range(SETTLE_PASSES):
        account = await ledger.account(thread)
        if account is None:
            break
        booked = await ledger.entries(thread)
        owed = entries_due(account, booked, policy, now)
        if not owed:
            await ledger.mark_pending(account, is_pending(account, booked, policy))
            break
        written += [e for e in owed if await ledger.add(account, e, now)]
    return written


async def settle_brand(ledger: Ledger, brand: BrandConfig, now: datetime) -> list[Entry]:
    """The inactivity sweep: bill this brand's conversations that are closed or quiet long enough."""
    policy = policy_of(brand)
    written: list[Entry] = []
    for account in await ledger.pending_accounts(brand.brand_id, now - policy.inactivity_window):
        written += await settle(ledger, account.thread_id, policy, now)
    return written
