"""Pure rules of `cancel_subscription`: reading the customer's answers, when a cancel is allowed.

No I/O, clock or randomness: property-tested (tests/workflows/test_cancel_policy.py). A recorded
step (offer, ask, confirmation) is the subscription's terms (`SubscriptionTerms`) plus `turn`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Literal

from routing.ids import named_subscriptions
from workflows.kit.answers import CANCEL, NO, Answer, read_answer
from workflows.kit.confirm import Confirmation
from workflows.kit.confirm import idempotency_key as make_key
from workflows.kit.policy import Refusal

CancelRule = Literal[
    "retention_offer_not_made", "not_confirmed", "confirmed_other_subscription", "confirmed_other_terms"
]
OfferAnswer = Literal["accept", "decline", "unclear"]

BOUND = ("subscription_id", "price", "interval")
"""What a confirmation is bound to: another value of any of these needs a new confirmation."""

_ACCEPT = re.compile(
    r"\b(offer|discount|deal|stay|keep (it|my|the)|take it|i'?ll take|sounds good|i accept)\b", re.IGNORECASE
)


def read_confirmation(text: str) -> Answer:
    """The customer's answer to "shall I cancel it?": a yes (or "cancel it"), a no, or unclear."""
    return read_answer(text, also_yes=CANCEL)


def read_offer_answer(text: str) -> OfferAnswer:
    """The customer's answer to "the offer instead, or shall I cancel?": decline (a no, or asks to
    cancel), accept (names the offer or staying), else unclear: a bare "yes" answers neither."""
    if NO.search(text) or CANCEL.search(text):
        return "decline"
    if _ACCEPT.search(text) and not text.rstrip().endswith("?"):  # "what is the offer?" accepts nothing
        return "accept"
    return "unclear"


def same_terms(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """True when `a` and `b` agree on everything a confirmation is bound to."""
    return all(str(a.get(k)) == str(b.get(k)) for k in BOUND)


def names_other(text: str, asked: Mapping[str, Any]) -> bool:
    """A yes that names only other subscriptions confirms nothing: a changed id needs a new ask."""
    named = named_subscriptions(text)
    return bool(named) and asked.get("subscription_id") not in named


def asked_numbers(asked: Mapping[str, Any]) -> list[str]:
    return [str(asked.get("subscription_id")), str(asked.get("price"))]


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
    return make_key("cancel", brand_id, {k: str(confirmed.get(k)) for k in (*BOUND, "turn")})


CONFIRMATION = Confirmation(
    bound=BOUND, answer=read_confirmation, numbers=asked_numbers, names_other=names_other
)
confirms = CONFIRMATION.confirms
"""True when a text, in a turn, confirms the cancel we asked about in the turn before (a plain
yes, naming no other subscription)."""
