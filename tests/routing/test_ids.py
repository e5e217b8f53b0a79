"""The one order-number rule (routing/ids.py): named as an order, in the brand's own form, or the whole message."""

from __future__ import annotations

import pytest

from routing.ids import named_orders, named_subscriptions, order_name
from routing.reading import entities_in


def test_that_an_order_is_a_number_named_as_one_or_a_whole_message() -> None:
    assert named_orders("order 1002, not #1003, zip 62704") == ["1002", "1003"]
    assert named_orders("my order number is 1004 and order no. 1005") == ["1004", "1005"]
    assert named_orders("#1002.") == ["1002"]
    assert named_orders(" 1002 ") == ["1002"]


@pytest.mark.parametrize(
    "text",
    ["I paid 1200 for it", "ship it to 500 Oak Road, Springfield, IL 62704", "1002 and 1003", "call 5550123"],
)
def test_that_a_bare_number_inside_a_sentence_is_not_an_order(text: str) -> None:
    assert named_orders(text) == []


def test_that_a_brand_prefix_and_suffix_name_orders_too() -> None:
    assert named_orders("return AC-1001-EU please", prefix="AC-", suffix="-EU") == ["1001"]
    assert named_orders("return ac-1001 please", prefix="AC-", suffix="-EU") == ["1001"]
    assert named_orders("return AC-1001-EU please") == []  # another store's form is not an order here
    assert named_orders("order 1001 and #1002", prefix="AC-") == ["1001", "1002"]
    assert order_name("1001", "AC-", "-EU") == "AC-1001-EU"


def test_that_the_router_and_the_workflows_read_the_same_ids() -> None:
    text = "cancel sub_501 and where is order #1001, and sub_502"
    assert entities_in(text)["order_number"] == named_orders(text)[0] == "1001"
    assert entities_in(text)["subscription_id"] == named_subscriptions(text)[0] == "sub_501"
    assert named_subscriptions(text) == ["sub_501", "sub_502"]
