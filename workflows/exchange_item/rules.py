"""Pure rules of `exchange_item`: may this order's items be exchanged, which swap the customer's
words name, and whether a swap is allowed (the same product, the same price, in stock).

No I/O, clock or randomness: `now` is an argument (tests/workflows/test_exchange_rules.py).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any, Literal

from routing.ids import named_orders
from workflows.kit.answers import Answer, read_answer
from workflows.kit.confirm import Confirmation, confirmed_after_ask
from workflows.kit.confirm import idempotency_key as make_key
from workflows.kit.policy import Refusal

ExchangeRefusal = Literal["order_cancelled", "not_delivered", "outside_return_window"]
SwapProblem = Literal["price_difference", "sold_out"]
_WORD = re.compile(r"[a-z0-9]+")
_EXCHANGE_YES = re.compile(r"\b(exchange it|swap it|go ahead)\b", re.IGNORECASE)


def words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower()))


def exchange_refusal(order: Mapping[str, Any], now: datetime, window_days: int) -> ExchangeRefusal | None:
    """Why the items of `order` (its exchange facts) cannot be exchanged, or None: only a delivered
    order, within the return window from its first shipment."""
    if order.get("cancelled"):
        return "order_cancelled"
    if not order.get("delivered") or not order.get("shipped_at"):
        return "not_delivered"
    if now - datetime.fromisoformat(str(order["shipped_at"])) > timedelta(days=window_days):
        return "outside_return_window"
    return None


def named_swaps(text: str, items: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The swaps the customer's words name: for each item, the other variant of its own product
    whose distinguishing words ("white"; "ground" for "1 kg / Ground" beside "1 kg / Whole bean")
    all appear in the text. Never a variant of another product."""
    said = words(text)
    found = []
    for item in items:
        current = words(str(item["variant"]))
        for variant in item["variants"]:
            own = words(str(variant["title"])) - current
            if own and own <= said:
                found.append(
                    {
                        "fulfillment_line_item_id": str(item["fulfillment_line_item_id"]),
                        "product": str(item["product"]),
                        "option": str(item["option"]),
                        "variant_from": str(item["variant"]),
                        "variant_id": str(variant["variant_id"]),
                        "variant": str(variant["title"]),
                        "price": str(variant["price"]),
                        "price_from": str(item["price"]),
                        "available": bool(variant["available"]),
                        "quantity": 1,
                    }
                )
                break
    return found


def swap_problem(swap: Mapping[str, Any]) -> SwapProblem | None:
    """Only same-price exchanges of a variant in stock (a price difference needs the customer's payment)."""
    if str(swap["price"]) != str(swap["price_from"]):
        return "price_difference"
    if not swap["available"]:
        return "sold_out"
    return None


def read_exchange_answer(text: str) -> Answer:
    return read_answer(text, yes_unless_no=_EXCHANGE_YES)


def names_other(text: str, asked: Mapping[str, Any]) -> bool:
    """A yes naming another order confirms nothing."""
    named = set(named_orders(text))
    return bool(named) and not named & set(re.findall(r"\d+", str(asked.get("order"))))


def asked_numbers(asked: Mapping[str, Any]) -> list[str]:
    return [str(asked.get("order")), *(str(s["price"]) for s in asked.get("swaps") or [])]


def _swaps_key(terms: Mapping[str, Any]) -> list[tuple[str, str, int]]:
    return sorted(
        (str(s["fulfillment_line_item_id"]), str(s["variant_id"]), int(s["quantity"]))
        for s in terms.get("swaps") or []
    )


def same_exchange(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    return str(a.get("order")) == str(b.get("order")) and _swaps_key(a) == _swaps_key(b)


CONFIRMATION = Confirmation(
    bound=("order", "swaps"),
    answer=read_exchange_answer,
    numbers=asked_numbers,
    names_other=names_other,
    same=same_exchange,
)


def write_refusal(order: str, facts: Mapping[str, Any], turn: int) -> Refusal | None:
    """Why exchanging items of `order` in `turn` is refused: once per order, confirmed in this turn
    after we asked, every swap the same product at the same price."""
    if order in (facts.get("exchanged") or {}):
        return Refusal(
            "already_exchanged", f"the items of order {order} were already exchanged in this conversation"
        )
    asked, confirmed = facts.get("asked"), facts.get("confirmed")
    if not confirmed_after_ask(asked, confirmed, turn):
        return Refusal("not_confirmed", f"the customer has not confirmed an exchange on order {order}")
    if str(confirmed.get("order")) != order or not same_exchange(asked, confirmed):
        return Refusal(
            "confirmed_other_terms", f"the customer has not confirmed this exchange on order {order}"
        )
    for swap in confirmed["swaps"]:
        if swap_problem(swap) is not None:
            return Refusal(
                str(swap_problem(swap)),
                f"the {swap['variant']} {swap['product']} is not a same-price swap in stock",
            )
    return None


def idempotency_key(brand_id: str, conversation_id: str, confirmed: Mapping[str, Any]) -> str:
    """One exchange per conversation, order and set of swaps."""
    return make_key("exchange", brand_id, conversation_id, str(confirmed.get("order")), _swaps_key(confirmed))
