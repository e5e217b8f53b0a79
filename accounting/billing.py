"""The pure billing policy: participation and events in, ledger rows (charges, credits) out.

Invariant guarded here (7, honest accounting): only the AI alone is automated, and in `strict`
mode only `ai_only` is billed; one human line makes the conversation free. A conversation is
billed only once it is closed or has been quiet for the brand's inactivity window — never on
the first AI reply — and a charge whose segment later changes (a human replied, perhaps after
a reopen) is cancelled by a credit. Invariant 9: a conversation with a handoff no person has
replied to is never billed in any mode; a handoff after a charge credits it the same way. Every
decision is keyed (`charge:<segment>`, `credit:<segment>`) so deciding twice writes nothing new
(and a credited segment is never charged again). No clock in here: `now` is passed in.

Billing modes (brand config `billing_mode`):
- `strict` (default): `ai_only` at the full price; every other segment free.
- `assisted`: `ai_only` at the full price, `ai_and_human` at `assisted_share` of it (rounded down
  to the cent); `human_only`, `ai_closed_no_reply` and `nobody` free.
In both modes an unanswered handoff (`has_unanswered_handoff`) makes any segment free.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from decimal import ROUND_FLOOR, Decimal

from accounting.ledger import Account, Entry
from accounting.segments import (
    EVENT_PARTICIPATION,
    ConversationEvent,
    Segment,
    has_unanswered_handoff,
    segment_of,
)
from brands import BillingMode
from state.schema import Participation

OPENS: frozenset[ConversationEvent] = frozenset({"customer_message", "reopened"})
CLOSES: frozenset[ConversationEvent] = frozenset({"closed", "ai_closed_no_reply"})


@dataclass(frozen=True)
class BillingPolicy:
    mode: BillingMode = "strict"
    price_cents: int = 0
    assisted_share: Decimal = Decimal("0.5")
    inactivity_window: timedelta = timedelta(hours=72)

    @classmethod
    def of(cls, mode: BillingMode, price: float, assisted_share: float, window_hours: float) -> BillingPolicy:
        """A policy from brand configuration; prices are rounded down to the cent."""
        cents = (Decimal(str(price)) * 100).to_integral_value(ROUND_FLOOR)
        return cls(mode, int(cents), Decimal(str(assisted_share)), timedelta(hours=window_hours))


def price_cents(segment: Segment, policy: BillingPolicy) -> int:
    if segment == "ai_only":
        return policy.price_cents
    if segment == "ai_and_human" and policy.mode == "assisted":
        return int((policy.price_cents * policy.assisted_share).to_integral_value(ROUND_FLOOR))
    return 0


def participation(account: Account) -> Participation:
    return {
        "ai_replied": account.ai_replied,
        "human_replied": account.human_replied,
        "ai_closed_no_reply": account.ai_closed_no_reply,
        "closed": account.is_closed,
        "handed_off": account.handed_off,
    }


def billed_price(p: Participation, policy: BillingPolicy) -> int:
    """What the conversation costs now, in cents: its segment's price, or 0 with an unanswered handoff."""
    return 0 if has_unanswered_handoff(p) else price_cents(segment_of(p), policy)


def advance(account: Account, event: ConversationEvent, at: datetime) -> Account:
    """The account after `event`: flags only grow; a customer message or a reopen opens it again."""
    flags = EVENT_PARTICIPATION[event]
    if event in CLOSES:
        is_closed, closed_at = True, account.closed_at if account.is_closed else at
    elif event in OPENS:
        is_closed, closed_at = False, None
    else:
        is_closed, closed_at = account.is_closed, account.closed_at
    last = account.last_activity_at
    return replace(
        account,
        ai_replied=account.ai_replied or bool(flags.get("ai_replied")),
        human_replied=account.human_replied or bool(flags.get("human_replied")),
        ai_closed_no_reply=account.ai_closed_no_reply or bool(flags.get("ai_closed_no_reply")),
        handed_off_at=account.handed_off_at or (at if flags.get("handed_off") else None),
        is_closed=is_closed,
        closed_at=closed_at,
        opened_at=account.opened_at or at,
        last_activity_at=at if last is None or at > last else last,
        pending=True,
    )


def due_at(account: Account, policy: BillingPolicy) -> datetime | None:
    """When the conversation's current segment may be billed: at its close, or once quiet long enough."""
    if account.is_closed:
        return account.closed_at
    if account.last_activity_at is None:
        return None
    return account.last_activity_at + policy.inactivity_window


def _credit(charge: Entry, segment: Segment, now: datetime) -> Entry:
    reason = f"became {segment}" if charge.segment != segment else "handed off"
    return Entry(
        f"credit:{charge.segment}", "credit", charge.segment, -charge.amount_cents, now, reason, charge.mode
    )


def entries_due(
    account: Account,
    booked: Sequence[Entry],
    policy: BillingPolicy,
    now: datetime,
    not_before: datetime | None = None,
) -> list[Entry]:
    """The decisions owed at `now` that `booked` does not hold yet: credits first, then a charge.

    A charge is credited when the segment changed or a handoff is left unanswered. A charge is
    dated when it fell due, never before a credit it follows nor before `not_before` (the event
    that made the conversation billable: a person answering a handoff on a closed conversation)."""
    p = participation(account)
    segment, unanswered = segment_of(p), has_unanswered_handoff(p)
    keys = {e.key for e in booked}
    owed = [
        _credit(e, segment, now)
        for e in booked
        if e.kind == "charge" and (e.segment != segment or unanswered) and f"credit:{e.segment}" not in keys
    ]
    price, due = billed_price(p, policy), due_at(account, policy)
    if price > 0 and f"charge:{segment}" not in keys and due is not None and due <= now:
        floor = [e.at for e in (*booked, *owed) if e.kind == "credit"] + ([not_before] if not_before else [])
        reason = "closed" if account.is_closed else "inactive"
        owed.append(
            Entry(f"charge:{segment}", "charge", segment, price, max([due, *floor]), reason, policy.mode)
        )
    return owed


def is_pending(account: Account, booked: Sequence[Entry], policy: BillingPolicy) -> bool:
    """Whether a charge for the current segment may still fall due (the sweep's filter)."""
    p = participation(account)
    return billed_price(p, policy) > 0 and f"charge:{segment_of(p)}" not in {e.key for e in booked}


def step(
    account: Account, booked: Sequence[Entry], event: ConversationEvent, at: datetime, policy: BillingPolicy
) -> tuple[Account, list[Entry]]:
    """Apply one event at `at`: first settle what fell due before it, then what it changes."""
    before = entries_due(account, booked, policy, at)
    after_event = advance(account, event, at)
    was_free = billed_price(participation(account), policy) == 0
    after = entries_due(after_event, [*booked, *before], policy, at, not_before=at if was_free else None)
    return after_event, [*before, *after]


def bill(
    events: Iterable[tuple[ConversationEvent, datetime]], policy: BillingPolicy, now: datetime
) -> tuple[Account, list[Entry]]:
    """Every decision a sequence of events leads to, settled at `now` (the ledger, without storage)."""
    account, booked = Account(), []
    for event, at in events:
        account, new = step(account, booked, event, at, policy)
        booked = [*booked, *new]
    return account, [*booked, *entries_due(account, booked, policy, now)]
