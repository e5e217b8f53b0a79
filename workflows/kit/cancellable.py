""" "Cancel it": which of the customer's open orders and active subscriptions, asked once.

An ask to cancel that names nothing may be routed to `cancel_order`, to `cancel_subscription`, or to
both (the router is unsure between them). Each reads the customer's open orders and active
subscriptions (`tools.order_cancel.find_cancellable`) and, when there is more than one thing it
could mean, asks the same question in the same words (`which_text`), so a turn that ran both says
it once (`compose` says a reply once). The customer's answer names one: the workflow it is not for
says that its thing stays as it is.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from typing import Any

SUBSCRIPTION_WORDS = re.compile(r"\b(subscri\w*|membership|plan|club|recurring|monthly)\b", re.IGNORECASE)
"""Words that say the customer means a subscription: no question which."""
ORDER_WORDS = re.compile(r"\b(orders?|parcel|package|shipment|purchase)\b", re.IGNORECASE)
"""Words that say the customer means an order."""
KIND_WORDS = {"cancel_order": ORDER_WORDS, "cancel_subscription": SUBSCRIPTION_WORDS}
"""Each cancellation, and the words that name its kind of thing: "cancel it" names neither."""
OTHER_CANCELLATION = {a: b for a in KIND_WORDS for b in KIND_WORDS if a != b}
"""Each cancellation's counterpart, the one "cancel it" may mean instead."""


NOTHING_TO_CANCEL = (
    "I cannot see an open order or an active subscription of yours, so there is nothing to cancel. "
    "If you mean an order that has already shipped, tell me its number."
)
"""What both cancellations say when an ask to cancel names nothing and the customer has nothing to
cancel: the same words, so a turn that ran both says it once."""


def names_no_kind(ask: str, text: str) -> bool:
    """Whether `ask` is a cancellation and `text` names neither an order nor a subscription ("I want
    to cancel"): either may be meant, so both run where the brand has both, and each asks which."""
    return ask in KIND_WORDS and not any(words.search(text) for words in KIND_WORDS.values())


def nothing_to_cancel(
    ask: str, text: str, orders: Sequence[Mapping[str, Any]], subscriptions: Sequence[Mapping[str, Any]]
) -> bool:
    """Whether an ask to cancel naming neither kind ("ok cancel it") finds no open order and no active
    subscription: both cancellations then say `NOTHING_TO_CANCEL`."""
    return not orders and not subscriptions and names_no_kind(ask, text)


def answers_the_other_cancellation(ask: str, waiting: Collection[str], text: str) -> bool:
    """Whether an ask to cancel that does not name its kind is the answer to the other cancellation,
    which waits: while an order cancellation waits for its yes, "yes, cancel it" read as
    `cancel_subscription` confirms the order's; "yes, and cancel my subscription too" does not."""
    return ask in KIND_WORDS and OTHER_CANCELLATION[ask] in waiting and KIND_WORDS[ask].search(text) is None


def _order(o: Mapping[str, Any]) -> str:
    return f"order {o['order']} ({', '.join(o['items'])}, {o['total']} {o['currency']})"


def _subscription(s: Mapping[str, Any]) -> str:
    return f"your subscription {s['subscription_id']} ({s['product']}, {s['price']} every {s['interval']})"


def which_text(orders: Sequence[Mapping[str, Any]], subscriptions: Sequence[Mapping[str, Any]]) -> str:
    """The question: every open order and active subscription, and how to name one."""
    shown = [_order(o) for o in orders] + [_subscription(s) for s in subscriptions]
    how = "the order number" if not subscriptions else "the order number or the subscription id"
    return f"Which would you like to cancel: {'; or '.join(shown)}? Tell me {how}."


def choices(
    orders: Sequence[Mapping[str, Any]], subscriptions: Sequence[Mapping[str, Any]], turn: int
) -> dict[str, Any]:
    """What the question offered, for the run's facts."""
    return {
        "orders": [str(o["order"]) for o in orders],
        "subscriptions": [str(s["subscription_id"]) for s in subscriptions],
        "turn": turn,
    }
