"""Pure policy for the action workflows: a customer's yes or no, a bound confirmation, return eligibility.

No I/O, clock or randomness: every input is an argument, so these are property-tested
(tests/workflows/test_policy.py). Invariant guarded here (ARCHITECTURE, scoped tools): a
policy-bearing write runs only when its preconditions hold in code, whatever the model asks.

Terms are the plain dicts `tools.subscriptions.terms_of` builds (`subscription_id`, `product`,
`price`, `interval`, `status`); a recorded step (offer, ask, confirmation) is terms plus `turn`.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
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
    """True when `text`, in `turn`, confirms the cancel we asked about in an earlier turn.

    A yes that names only other subscriptions confirms nothing: a changed id needs a new ask.
    """
    if asked is None or int(asked.get("turn", turn)) >= turn:
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
    if not confirmed:
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
