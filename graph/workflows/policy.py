"""Pure policy for the action workflows: a customer's yes or no, a bound confirmation, return
eligibility and the refund's preconditions.

No I/O, clock or randomness: every input is an argument, so these are property-tested
(tests/workflows/test_cancel_policy.py and test_refund_policy.py; the yes rules end to end in
test_confirmation_holes.py). Invariant guarded here (ARCHITECTURE, scoped tools): a
policy-bearing write runs only when its preconditions hold in code, whatever the model asks.

Terms are the plain dicts `tools.subscriptions.terms_of` builds (`subscription_id`, `product`,
`price`, `interval`, `status`); a recorded step (offer, ask, confirmation) is terms plus `turn`.
Refund steps are an order's return facts plus `amount` and `turn` (see "Refunds" below).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, Literal

Answer = Literal["yes", "no", "unclear"]
CancelRule = Literal[
    "retention_offer_not_made", "not_confirmed", "confirmed_other_subscription", "confirmed_other_terms"
]
OfferAnswer = Literal["accept", "decline", "unclear"]

BOUND = ("subscription_id", "price", "interval")
"""What a confirmation is bound to: another value of any of these needs a new confirmation."""

_YES = re.compile(
    r"\b(yes|yeah|yep|yup|sure|ok|okay|confirm(ed)?|correct|go ahead|please do|do it|i do)\b", re.IGNORECASE
)
_NO = re.compile(
    r"\b(no|nope|nah|not|don'?t|do not|never ?mind|keep it|wait|hold on|changed my mind)\b|n't\b",
    re.IGNORECASE,
)
_ACCEPT = re.compile(
    r"\b(offer|discount|deal|stay|keep (it|my|the)|take it|i'?ll take|sounds good|i accept)\b", re.IGNORECASE
)
_CANCEL = re.compile(r"\b(cancel|end it|stop it|terminate|unsubscribe)\b", re.IGNORECASE)
_SUB_ID = re.compile(r"\bsub_[A-Za-z0-9]+\b")


def named_subscriptions(text: str) -> set[str]:
    """The subscription ids the text names."""
    return set(_SUB_ID.findall(text))


def read_confirmation(text: str) -> Answer:
    """The customer's answer to "shall I cancel it?": a yes (or "cancel it"), a no, or unclear."""
    said_yes = bool(_YES.search(text) or _CANCEL.search(text))
    said_no = bool(_NO.search(text))
    if said_yes and not said_no:
        return "yes"
    if said_no and not said_yes:
        return "no"
    return "unclear"


def read_change_answer(text: str) -> Answer:
    """The customer's answer to "shall I change it?": here "cancel" or "stop it" is a no, never a yes."""
    said_yes = bool(_YES.search(text))
    said_no = bool(_NO.search(text) or _CANCEL.search(text))
    if said_yes and not said_no:
        return "yes"
    if said_no and not said_yes:
        return "no"
    return "unclear"


_QUALIFIED = re.compile(
    r"\b(but|except|only|instead|unless|if|rather|different|another|what|why|how|which)\b", re.IGNORECASE
)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def _as_number(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", ""))
    except ArithmeticError:
        return None


def plain_answer(text: str, asked_numbers: Collection[str]) -> bool:
    """Whether `text` can confirm money or an address at all: no question, no condition ("yes, but
    only 30"), and no number but those of what we asked about (the order, the amount, the address).
    Anything else is not a yes to our question: we ask again."""
    if "?" in text or _QUALIFIED.search(text):
        return False
    allowed = {_as_number(n) for n in asked_numbers for n in _NUMBER.findall(n)}
    return all(_as_number(n) in allowed for n in _NUMBER.findall(text))


def next_turn_after(asked: Mapping[str, Any] | None, turn: int) -> bool:
    """A confirmation counts only in the turn right after we asked: a yes given later (after other
    questions, or meant for another workflow's ask) gets the question again, with what it is about."""
    return asked is not None and int(asked.get("turn", turn)) + 1 == turn


def read_offer_answer(text: str) -> OfferAnswer:
    """The customer's answer to "the offer instead, or shall I cancel?": decline (a no, or asks to
    cancel), accept (names the offer or staying), else unclear: a bare "yes" answers neither."""
    if _NO.search(text) or _CANCEL.search(text):
        return "decline"
    if _ACCEPT.search(text) and not text.rstrip().endswith("?"):  # "what is the offer?" accepts nothing
        return "accept"
    return "unclear"


def same_terms(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """True when `a` and `b` agree on everything a confirmation is bound to."""
    return all(str(a.get(k)) == str(b.get(k)) for k in BOUND)


def confirms(text: str, asked: Mapping[str, Any] | None, turn: int) -> bool:
    """True when `text`, in `turn`, confirms the cancel we asked about in the turn before.

    A yes that names only other subscriptions confirms nothing: a changed id needs a new ask. Only a
    plain answer counts (`plain_answer`), only in the turn right after the ask (`next_turn_after`).
    """
    if asked is None or not next_turn_after(asked, turn):
        return False
    if not plain_answer(text, [str(asked.get("subscription_id")), str(asked.get("price"))]):
        return False
    named = named_subscriptions(text)
    if named and asked.get("subscription_id") not in named:
        return False
    return read_confirmation(text) == "yes"


@dataclass(frozen=True)
class Refusal:
    """A refused precondition: `rule` a fixed name (metrics label), `reason` for the model and log."""

    rule: str
    reason: str


def cancel_refusal(subscription_id: str, facts: Mapping[str, Any], turn: int) -> Refusal | None:
    """Why cancelling `subscription_id` in `turn` is refused, or None when policy allows it.

    Allowed only when the retention offer for that subscription was made in an earlier turn and
    the customer confirmed, in a later turn than we asked, this subscription at these terms.
    """
    offer = facts.get("offer")
    not_offered = Refusal(
        "retention_offer_not_made",
        f"the retention offer for {subscription_id} has not been made to the customer yet",
    )
    if not offer or int(offer["turn"]) >= turn:
        return not_offered
    confirmed = facts.get("confirmed")
    if not confirmed or int(confirmed["turn"]) != turn:  # a yes is used in the turn it is given
        return Refusal("not_confirmed", f"the customer has not confirmed cancelling {subscription_id}")
    if confirmed.get("subscription_id") != subscription_id:
        return Refusal(
            "confirmed_other_subscription",
            f"the customer confirmed cancelling {confirmed.get('subscription_id')}, not {subscription_id}: "
            "a new confirmation is needed",
        )
    if offer.get("subscription_id") != subscription_id:
        return not_offered
    asked = facts.get("asked")
    if not asked or not same_terms(asked, confirmed) or int(confirmed["turn"]) <= int(asked["turn"]):
        return Refusal(
            "confirmed_other_terms",
            f"the customer has not confirmed cancelling {subscription_id} at the terms we asked about",
        )
    return None


def idempotency_key(brand_id: str, confirmed: Mapping[str, Any]) -> str:
    """The cancel's Idempotency-Key: the same confirmation always gives the same key, so a retry
    never cancels twice; another brand, subscription, price or confirmation turn gives another."""
    bound = {k: str(confirmed.get(k)) for k in (*BOUND, "turn")}
    digest = hashlib.sha256(json.dumps([brand_id, bound], sort_keys=True).encode()).hexdigest()
    return f"cancel-{digest[:32]}"


ReturnRefusal = Literal[
    "not_shipped", "already_refunded", "currency_not_covered", "outside_return_window", "above_refund_cap"
]


def return_refusal(
    order: Mapping[str, Any], now: datetime, window_days: int, cap: Decimal, currency: str
) -> ReturnRefusal | None:
    """Why a return with refund of `order` cannot be approved in code, or None when it can.

    The window runs from the first shipment (`shipped_at`, ISO with offset) to `now` (aware);
    the refund is the order's total, approved only up to `cap` in the brand's `currency`.
    """
    shipped = order.get("shipped_at")
    if not shipped:
        return "not_shipped"
    if order.get("financial_status") in ("refunded", "partially_refunded", "voided"):
        return "already_refunded"
    if order.get("currency") != currency:
        return "currency_not_covered"
    if now - datetime.fromisoformat(str(shipped)) > timedelta(days=window_days):
        return "outside_return_window"
    if Decimal(str(order.get("total"))) > cap:
        return "above_refund_cap"
    return None


# Refunds (`graph/workflows/returns_refunds.py`). A refund ask, confirmation or write is the order's
# return facts (`tools.returns.return_facts`: `order` "#1001", `total`, `currency`,
# `financial_status`, `shipped_at`) plus `amount` (what we refund: the order's total) and `turn`.

RefundRule = Literal[
    ReturnRefusal, "not_confirmed", "confirmed_other_order", "confirmed_other_amount", "invalid_amount"
]
REFUND_BOUND = ("order", "amount", "currency")
"""What a refund confirmation is bound to: another order or amount needs a new confirmation."""

_ORDER_NUMBER = re.compile(r"(?<![\d.])#?\b(\d{4,10})\b(?!\.\d)")
_AMOUNT = re.compile(r"(?<![\d.])(\d{1,7}(?:\.\d{2}))\b(?!\.\d)")
_REFUND_YES = re.compile(
    r"\b(refund (it|me|that|the|order)|please refund|issue (it|the refund))\b", re.IGNORECASE
)

RETURN_REASONS: Mapping[str, str] = {
    "not_shipped": "order {order} has not shipped, so it is not a return",
    "already_refunded": "order {order} has already been refunded",
    "currency_not_covered": "order {order} was paid in a currency that is not refunded automatically",
    "outside_return_window": "order {order} shipped more than {days} days ago, outside the return window",
    "above_refund_cap": "a refund of {amount} is above the brand's refund cap of {cap}",
}


def named_orders(text: str) -> set[str]:
    """The order numbers the text names, as Shopify names orders ("#1001"); amounts are not orders."""
    return {f"#{n}" for n in _ORDER_NUMBER.findall(text)}


def named_amounts(text: str) -> set[Decimal]:
    """The money amounts (two decimals) the text names."""
    return {Decimal(a) for a in _AMOUNT.findall(text)}


def as_amount(value: object) -> Decimal | None:
    """`value` as a finite money amount, else None (a model may send anything)."""
    try:
        amount = Decimal(str(value))
    except ArithmeticError:
        return None
    return amount if amount.is_finite() else None


def read_refund_answer(text: str) -> Answer:
    """The customer's answer to "shall I refund it?": a yes (or "refund it"), a no, or unclear."""
    said_no = bool(_NO.search(text) or _CANCEL.search(text))
    said_yes = bool(_YES.search(text) or (_REFUND_YES.search(text) and not said_no))  # "don't refund it"
    if said_yes and not said_no:
        return "yes"
    if said_no and not said_yes:
        return "no"
    return "unclear"


def confirms_refund(text: str, asked: Mapping[str, Any] | None, turn: int) -> bool:
    """True when `text`, in `turn`, confirms the refund we asked about in an earlier turn.

    A yes that names only other orders, or only other amounts, confirms nothing: a changed order
    or amount needs a new ask.
    """
    if asked is None or not next_turn_after(asked, turn):
        return False
    if not plain_answer(text, [str(asked.get("order")), str(asked.get("amount"))]):
        return False
    orders = named_orders(text)
    if orders and asked.get("order") not in orders:
        return False
    amounts = named_amounts(text)
    if amounts and as_amount(asked.get("amount")) not in amounts:
        return False
    return read_refund_answer(text) == "yes"


def same_refund(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """True when `a` and `b` agree on everything a refund confirmation is bound to."""
    return all(str(a.get(k)) == str(b.get(k)) for k in REFUND_BOUND)


def _return_rule(
    order: Mapping[str, Any], now: datetime, window_days: int, cap: Decimal, currency: str
) -> Refusal | None:
    rule = return_refusal(order, now, window_days, cap, currency)
    if rule is None:
        return None
    what = {
        "order": order.get("order"),
        "days": window_days,
        "amount": order.get("total"),
        "cap": f"{cap} {currency}",
    }
    return Refusal(rule, RETURN_REASONS[rule].format(**what))


def refund_refusal(
    order: str,
    amount: object,
    facts: Mapping[str, Any],
    turn: int,
    now: datetime,
    window_days: int,
    cap: Decimal,
    currency: str,
) -> Refusal | None:
    """Why refunding `order` ("#1001") by `amount` (None: the confirmed one) in `turn` is refused.

    Allowed only when the order is not refunded yet in this run, the amount is within `cap`, the
    order's facts (the latest lookup of an earlier turn, and the confirmed ones) pass
    `return_refusal` at `now`, and the customer confirmed, in a later turn than we asked, this
    order at this amount.
    """
    if order in (facts.get("refunded") or {}):
        return Refusal("already_refunded", RETURN_REASONS["already_refunded"].format(order=order))
    wanted = None if amount is None else as_amount(amount)
    if amount is not None and wanted is None:
        return Refusal("invalid_amount", f"{str(amount)[:20]!r} is not an amount")
    if wanted is not None and wanted > cap:
        reason = RETURN_REASONS["above_refund_cap"].format(
            amount=f"{wanted} {currency}", cap=f"{cap} {currency}"
        )
        return Refusal("above_refund_cap", reason)
    known = (facts.get("orders") or {}).get(order)
    refused = _return_rule(known, now, window_days, cap, currency) if known else None
    if refused is not None:
        return refused
    asked, confirmed = facts.get("asked"), facts.get("confirmed")
    if (
        not asked
        or not confirmed
        or int(confirmed["turn"]) <= int(asked["turn"])
        or int(confirmed["turn"]) != turn
    ):
        # a yes is used in the turn it is given, never carried to a later one
        return Refusal("not_confirmed", f"the customer has not confirmed refunding order {order}")
    if confirmed.get("order") != order:
        return Refusal(
            "confirmed_other_order",
            f"the customer confirmed refunding order {confirmed.get('order')}, not {order}: "
            "a new confirmation is needed",
        )
    if not same_refund(asked, confirmed) or (wanted is not None and wanted != as_amount(confirmed["amount"])):
        return Refusal(
            "confirmed_other_amount",
            f"the customer confirmed a refund of {confirmed.get('amount')} {confirmed.get('currency')} for "
            f"order {order}, not {amount}: a new confirmation is needed",
        )
    return _return_rule(confirmed, now, window_days, cap, currency)


def refund_idempotency_key(brand_id: str, conversation_id: str, order: str, amount: object) -> str:
    """The refund's Idempotency-Key: one per conversation, order and amount, so a retry or a second
    confirmation of the same refund never refunds twice; another amount or order gives another key."""
    bound = [brand_id, conversation_id, str(order), str(as_amount(amount))]
    digest = hashlib.sha256(json.dumps(bound).encode()).hexdigest()
    return f"refund-{digest[:32]}"
