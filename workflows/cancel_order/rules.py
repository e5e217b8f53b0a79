"""Pure rules of `cancel_order`: may this order be cancelled, how a reason and a yes read.

No I/O, clock or randomness (tests/workflows/test_order_cancel_rules.py). An ask or a confirmation is
the order's cancel facts (`tools.order_cancel.cancel_facts`) plus `reason` and `turn`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Literal

from routing.ids import named_orders
from workflows.kit.answers import CANCEL, Answer, read_answer
from workflows.kit.confirm import Confirmation, confirmed_after_ask
from workflows.kit.confirm import idempotency_key as make_key
from workflows.kit.policy import Refusal

CancelRefusal = Literal["order_cancelled", "already_fulfilled", "partially_fulfilled"]
CancelReason = Literal["customer", "inventory", "fraud", "declined", "other"]
BOUND = ("order", "total", "currency")
"""What a cancel confirmation is bound to: another order or total needs a new confirmation."""

REASONS: tuple[tuple[CancelReason, re.Pattern[str]], ...] = (
    ("fraud", re.compile(r"\b(fraud\w*|scam|stolen|unauthori[sz]ed|hacked|didn'?t (place|order))\b", re.I)),
    (
        "declined",
        re.compile(r"\b(declined|payment (failed|problem|issue)|card (failed|was refused))\b", re.I),
    ),
    ("inventory", re.compile(r"\b(out of stock|sold out|back ?order\w*|not in stock|inventory)\b", re.I)),
)
"""Shopify's cancel reasons the customer's words can name; any other words are `customer`."""


def cancel_refusal(order: Mapping[str, Any]) -> CancelRefusal | None:
    """Why `order` (its cancel facts) cannot be cancelled, or None while it is unfulfilled."""
    if order.get("cancelled"):
        return "order_cancelled"
    status = order.get("fulfillment_status")
    if status == "partial":
        return "partially_fulfilled"
    if status:
        return "already_fulfilled"
    return None


def read_reason(text: str) -> CancelReason | None:
    """The store's reason the customer's words name, or None when they name none of them."""
    return next((reason for reason, words in REASONS if words.search(text)), None)


def read_cancel_answer(text: str) -> Answer:
    """The customer's answer to "shall I cancel order #1002?": a yes (or "cancel it"), a no, or unclear."""
    return read_answer(text, also_yes=CANCEL)


def names_other(text: str, asked: Mapping[str, Any]) -> bool:
    """A yes that names only other orders confirms nothing."""
    named = set(named_orders(text))
    digits = re.findall(r"\d+", str(asked.get("order")))
    return bool(named) and not named & set(digits)


def asked_numbers(asked: Mapping[str, Any]) -> list[str]:
    return [str(asked.get("order")), str(asked.get("total"))]


CONFIRMATION = Confirmation(
    bound=BOUND, answer=read_cancel_answer, numbers=asked_numbers, names_other=names_other
)


def write_refusal(order: str, facts: Mapping[str, Any], turn: int) -> Refusal | None:
    """Why cancelling `order` ("#1002") in `turn` is refused: not cancelled already in this run, the
    latest facts of it cancellable, and the customer confirmed it in this turn, after we asked."""
    if order in (facts.get("cancelled") or {}):
        return Refusal("order_cancelled", f"order {order} was already cancelled in this conversation")
    known = (facts.get("orders") or {}).get(order)
    rule = cancel_refusal(known) if known else None
    if rule is not None:
        return Refusal(rule, f"order {order} can no longer be cancelled ({rule.replace('_', ' ')})")
    asked, confirmed = facts.get("asked"), facts.get("confirmed")
    if not confirmed_after_ask(asked, confirmed, turn):
        return Refusal("not_confirmed", f"the customer has not confirmed cancelling order {order}")
    if confirmed.get("order") != order:
        return Refusal(
            "confirmed_other_order",
            f"the customer confirmed cancelling order {confirmed.get('order')}, not {order}: a new confirmation is needed",
        )
    if not CONFIRMATION.same_terms(asked, confirmed):
        return Refusal(
            "confirmed_other_terms", f"the customer has not confirmed cancelling order {order} as asked"
        )
    return None


def idempotency_key(brand_id: str, conversation_id: str, confirmed: Mapping[str, Any]) -> str:
    """One cancel per conversation, order and total: a retry or a second yes never cancels twice."""
    return make_key("order-cancel", brand_id, conversation_id, {k: str(confirmed.get(k)) for k in BOUND})
