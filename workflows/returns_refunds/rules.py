"""Pure rules of `returns_refunds`: may this order be returned for a refund, is this a yes to it.

No I/O, clock or randomness: every input is an argument (`now` too), so these are property-tested
(tests/workflows/test_refund_policy.py). A refund ask, confirmation or write is the order's return
facts (`tools.returns.return_facts`: `order` "#1001", `total`, `currency`, `financial_status`,
`shipped_at`) plus `amount` (what we refund: the order's total) and `turn`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, Literal

from routing.ids import ORDER_DIGITS
from routing.ids import named_orders as named_order_numbers
from workflows.kit.answers import CANCEL, Answer, as_amount, named_amounts, read_answer
from workflows.kit.confirm import Confirmation, confirmed_after_ask
from workflows.kit.confirm import idempotency_key as make_key
from workflows.kit.policy import Refusal

ReturnRefusal = Literal[
    "not_shipped", "already_refunded", "currency_not_covered", "outside_return_window", "above_refund_cap"
]
RefundRule = Literal[
    ReturnRefusal, "not_confirmed", "confirmed_other_order", "confirmed_other_amount", "invalid_amount"
]
REFUND_BOUND = ("order", "amount", "currency")
"""What a refund confirmation is bound to: another order or amount needs a new confirmation."""

_REFUND_YES = re.compile(
    r"\b(refund (it|me|that|the|order)|please refund|issue (it|the refund))\b", re.IGNORECASE
)
_DIGITS = re.compile(ORDER_DIGITS)

RETURN_REASONS: Mapping[str, str] = {
    "not_shipped": "order {order} has not shipped, so it is not a return",
    "already_refunded": "order {order} has already been refunded",
    "currency_not_covered": "order {order} was paid in a currency that is not refunded automatically",
    "outside_return_window": "order {order} shipped more than {days} days ago, outside the return window",
    "above_refund_cap": "a refund of {amount} is above the brand's refund cap of {cap}",
}


def named_orders(text: str) -> set[str]:
    """The order numbers the text names (`routing.ids`), as Shopify names orders ("#1001")."""
    return {f"#{n}" for n in named_order_numbers(text)}


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


def read_refund_answer(text: str) -> Answer:
    """The customer's answer to "shall I refund it?": a yes (or "refund it"), a no, or unclear."""
    return read_answer(text, also_no=CANCEL, yes_unless_no=_REFUND_YES)  # "don't refund it" is a no


def names_other(text: str, asked: Mapping[str, Any]) -> bool:
    """A yes that names only other orders, or only other amounts, confirms nothing."""
    orders = named_orders(text)
    if orders and asked.get("order") not in orders:
        return True
    amounts = named_amounts(text)
    return bool(amounts) and as_amount(asked.get("amount")) not in amounts


def asked_numbers(asked: Mapping[str, Any]) -> list[str]:
    return [str(asked.get("order")), str(asked.get("amount"))]


def same_refund(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """True when `a` and `b` agree on everything a refund confirmation is bound to."""
    return all(str(a.get(k)) == str(b.get(k)) for k in REFUND_BOUND)


CONFIRMATION = Confirmation(
    bound=REFUND_BOUND, answer=read_refund_answer, numbers=asked_numbers, names_other=names_other
)
confirms_refund = CONFIRMATION.confirms
"""True when a text, in a turn, confirms the refund we asked about in the turn before."""


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
    if not confirmed_after_ask(asked, confirmed, turn):
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
    return make_key("refund", brand_id, conversation_id, str(order), str(as_amount(amount)))


def order_digits(order: str) -> str:
    """The number inside an order's name ("#1001" -> "1001")."""
    found = _DIGITS.search(order)
    return found.group(0) if found else order.lstrip("#")
