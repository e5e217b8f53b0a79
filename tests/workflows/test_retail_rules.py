"""The pure rules of `cancel_order` and `exchange_item`: which orders, which reason, which swaps."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from workflows.cancel_order.rules import CONFIRMATION as CANCEL_CONFIRMATION
from workflows.cancel_order.rules import cancel_refusal, read_reason
from workflows.cancel_order.rules import write_refusal as cancel_write_refusal
from workflows.exchange_item.rules import CONFIRMATION as EXCHANGE_CONFIRMATION
from workflows.exchange_item.rules import exchange_refusal, named_swaps, swap_problem

NOW = datetime(2026, 12, 7, 12, tzinfo=UTC)
GRINDER = {
    "fulfillment_line_item_id": "gid://shopify/FulfillmentLineItem/1",
    "product": "Burr Grinder",
    "option": "Color",
    "variant": "Matte Black",
    "price": "149.00",
    "quantity": 1,
    "variants": [{"variant_id": "2", "title": "White", "price": "149.00", "available": True}],
}
COFFEE = {
    "fulfillment_line_item_id": "gid://shopify/FulfillmentLineItem/3",
    "product": "House Blend Coffee",
    "option": "Size",
    "variant": "1 kg / Whole bean",
    "price": "32.00",
    "quantity": 1,
    "variants": [
        {"variant_id": "4", "title": "1 kg / Ground", "price": "32.00", "available": False},
        {"variant_id": "5", "title": "250 g / Whole bean", "price": "10.00", "available": True},
    ],
}


@pytest.mark.parametrize(
    ("order", "rule"),
    [
        ({"fulfillment_status": None, "cancelled": False}, None),
        ({"fulfillment_status": "partial", "cancelled": False}, "partially_fulfilled"),
        ({"fulfillment_status": "fulfilled", "cancelled": False}, "already_fulfilled"),
        ({"fulfillment_status": None, "cancelled": True}, "order_cancelled"),
    ],
)
def test_that_only_an_order_with_nothing_shipped_may_be_cancelled(order: dict, rule: str | None) -> None:
    assert cancel_refusal(order) == rule


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("yes", None),
        ("I ordered by mistake", None),
        ("it is out of stock anyway", "inventory"),
        ("my card was refused, payment failed", "declined"),
        ("I didn't place this order, it's fraud", "fraud"),
    ],
)
def test_that_a_reason_reads_as_the_stores_enum_or_none(text: str, reason: str | None) -> None:
    assert read_reason(text) == reason


def test_that_a_cancel_needs_a_yes_in_the_next_turn_naming_no_other_order() -> None:
    asked = {"order": "#1002", "total": "149.00", "currency": "USD", "turn": 1}
    assert CANCEL_CONFIRMATION.confirms("yes", asked, 2)
    assert CANCEL_CONFIRMATION.confirms("yes, cancel it", asked, 2)
    assert not CANCEL_CONFIRMATION.confirms("yes", asked, 3)  # not carried to a later turn
    assert not CANCEL_CONFIRMATION.confirms("yes, order 1001", asked, 2)
    assert not CANCEL_CONFIRMATION.confirms("yes but only the grinder", asked, 2)
    assert not CANCEL_CONFIRMATION.confirms("no, keep it", asked, 2)
    confirmed = {**asked, "turn": 2}
    facts = {"asked": asked, "confirmed": confirmed, "orders": {"#1002": {"fulfillment_status": None}}}
    assert cancel_write_refusal("#1002", facts, 2) is None
    assert cancel_write_refusal("#1001", facts, 2).rule == "confirmed_other_order"  # type: ignore[union-attr]
    shipped = {**facts, "orders": {"#1002": {"fulfillment_status": "fulfilled"}}}
    assert cancel_write_refusal("#1002", shipped, 2).rule == "already_fulfilled"  # type: ignore[union-attr]
    assert cancel_write_refusal("#1002", {"asked": asked}, 2).rule == "not_confirmed"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("order", "rule"),
    [
        ({"delivered": True, "shipped_at": "2026-11-25T15:20:00-05:00"}, None),
        ({"delivered": False, "shipped_at": "2026-11-25T15:20:00-05:00"}, "not_delivered"),
        ({"delivered": False, "shipped_at": None}, "not_delivered"),
        ({"delivered": True, "shipped_at": "2026-10-01T10:00:00-05:00"}, "outside_return_window"),
        (
            {"delivered": True, "shipped_at": "2026-11-25T15:20:00-05:00", "cancelled": True},
            "order_cancelled",
        ),
    ],
)
def test_that_only_a_delivered_order_within_the_window_is_exchanged(order: dict, rule: str | None) -> None:
    assert exchange_refusal(order, NOW, 30) == rule


def test_that_the_words_name_a_variant_of_the_items_own_product_only() -> None:
    items = [GRINDER, COFFEE]
    assert [(s["product"], s["variant"]) for s in named_swaps("the grinder in white please", items)] == [
        ("Burr Grinder", "White")
    ]
    assert [s["variant"] for s in named_swaps("white grinder and ground coffee", items)] == [
        "White",
        "1 kg / Ground",
    ]
    assert named_swaps("swap it for the pour-over dripper", items) == []  # another product: never
    assert named_swaps("something else", items) == []


def test_that_only_same_price_swaps_in_stock_pass() -> None:
    [white] = named_swaps("white", [GRINDER])
    [ground] = named_swaps("ground", [COFFEE])
    [small] = named_swaps("250 g", [COFFEE])
    assert (swap_problem(white), swap_problem(ground), swap_problem(small)) == (
        None,
        "sold_out",
        "price_difference",
    )


def test_that_an_exchange_confirmation_is_bound_to_every_swap_asked() -> None:
    [white] = named_swaps("white", [GRINDER])
    asked = {"order": "#1004", "swaps": [white], "turn": 1}
    assert EXCHANGE_CONFIRMATION.confirms("yes", asked, 2)
    assert not EXCHANGE_CONFIRMATION.confirms("yes, and order 1001 too", asked, 2)
    assert EXCHANGE_CONFIRMATION.same_terms(asked, {**asked, "turn": 2})
    assert not EXCHANGE_CONFIRMATION.same_terms(asked, {**asked, "swaps": []})
