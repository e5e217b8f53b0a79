"""The pure address policy (workflows/address_change/rules.py), property-tested."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workflows.address_change.rules import (
    address_refusal,
    confirms,
    fulfilment_refusal,
    idempotency_key,
    read_address,
    same_address,
    write_refusal,
    written_by_customer,
)
from workflows.kit.policy import Refusal

OAK = {"address1": "500 Oak Road", "city": "Springfield", "province_code": "IL", "zip": "62704"}
ELM = {"address1": "7 Elm Street", "city": "Salem", "province_code": "OR", "zip": "97301"}
ADDRESSES = st.sampled_from([OAK, ELM])
ORDERS = st.sampled_from(["1001", "1002", "1003"])
TURNS = st.integers(min_value=1, max_value=6)
UNFULFILLED = {"order_number": "1002", "fulfillment_status": None, "cancelled_at": None, "fulfillments": []}


def step(order: str, address: dict[str, str], turn: int) -> dict[str, Any]:
    return {"order_id": f"41000000{order}", "order_number": order, "address": address, "turn": turn}


@given(ORDERS, ORDERS, ORDERS, ORDERS, ADDRESSES, ADDRESSES, TURNS, TURNS, TURNS, st.booleans())
def test_that_a_write_is_allowed_only_for_the_checked_order_at_the_address_confirmed_later_this_turn(
    call: str, checked: str, asked: str, confirmed: str, asked_at: dict[str, str], confirmed_at: dict[str, str],
    ask_turn: int, confirm_turn: int, turn: int, shipped: bool,
) -> None:  # fmt: skip
    order = {**UNFULFILLED, "order_number": checked, "fulfillment_status": "fulfilled" if shipped else None}
    facts = {
        "order": order,
        "asked": step(asked, asked_at, ask_turn),
        "confirmed": step(confirmed, confirmed_at, confirm_turn),
    }
    allowed = (
        call == checked == asked == confirmed
        and not shipped
        and asked_at == confirmed_at
        and ask_turn < confirm_turn == turn
    )
    assert (write_refusal(call, facts, turn) is None) == allowed


@given(ORDERS, TURNS)
def test_that_without_a_confirmation_the_refusal_says_so(call: str, turn: int) -> None:
    facts = {"order": {**UNFULFILLED, "order_number": call}, "asked": step(call, OAK, turn - 1)}
    assert write_refusal(call, facts, turn) == Refusal(
        "not_confirmed", f"the customer has not confirmed the new address for order {call}"
    )


@given(
    st.sampled_from([None, "fulfilled", "partial", "restocked"]),
    st.booleans(),
    st.sampled_from([[], [{"status": "success"}], [{"status": "cancelled"}]]),
)
def test_that_only_an_order_with_nothing_shipped_and_not_cancelled_may_change(
    status: str | None, cancelled: bool, fulfillments: list[dict[str, str]]
) -> None:
    order = {
        "fulfillment_status": status,
        "cancelled_at": "2026-11-21" if cancelled else None,
        "fulfillments": fulfillments,
    }
    live = [f for f in fulfillments if f["status"] != "cancelled"]
    expected = (
        "order_cancelled" if cancelled
        else "partially_fulfilled" if status == "partial"
        else "already_fulfilled" if status or live
        else None
    )  # fmt: skip
    assert fulfilment_refusal(order) == expected


FIELD_NAMES = st.sampled_from(["address1", "city", "province_code", "zip"])


@given(ADDRESSES, FIELD_NAMES, st.sampled_from(["66 Attacker Lane", "Evil", "ZZ", "66666"]))
def test_that_any_field_the_customer_did_not_write_refuses_the_address(
    address: dict[str, str], field: str, foreign: str
) -> None:
    said = [
        f"please send it to {address['address1']}, {address['city']}, {address['province_code']} {address['zip']}"
    ]
    assert address_refusal(address, said) is None
    refusal = address_refusal({**address, field: foreign}, said)
    assert refusal == Refusal(
        "address_not_from_customer",
        f"the {field} of the new address did not come from the customer's own messages",
    )


@given(ADDRESSES, FIELD_NAMES)
def test_that_an_address_without_street_city_or_zip_is_incomplete(
    address: dict[str, str], field: str
) -> None:
    refusal = address_refusal({**address, field: "  "}, [" ".join(address.values())])
    if field == "province_code":
        assert refusal is None
    else:
        assert refusal == Refusal("address_incomplete", f"the new address lacks {field}")


@given(st.text(max_size=30), st.text(max_size=30))
def test_that_a_value_is_the_customers_only_as_whole_words_of_their_text(before: str, after: str) -> None:
    text = f"{before} 500 Oak Road {after}"
    assert written_by_customer("500 oak road", [text])
    assert not written_by_customer("Oak Roads", ["500 Oak Road"])
    assert not written_by_customer("  ", [text])


@given(
    ADDRESSES,
    st.sampled_from(["", "please ship it to ", "my new address is "]),
    st.sampled_from(["", ", USA", "."]),
)
def test_that_a_one_line_address_is_read_back_as_written(
    address: dict[str, str], lead: str, tail: str
) -> None:
    text = (
        f"{lead}{address['address1']}, {address['city']}, {address['province_code']} {address['zip']}{tail}"
    )
    read = read_address(text)
    assert read is not None
    assert same_address(read, {**address, **({"country_code": "US"} if "USA" in tail else {})})
    assert address_refusal(read, [text]) is None


def test_that_the_order_number_before_an_address_is_not_read_as_its_street() -> None:
    assert read_address("ship order 1002 to 500 Oak Road, Springfield, IL 62704") == {**OAK, "address2": ""}
    assert read_address("500 Oak Road, Apt 4, Springfield, IL 62704") == {**OAK, "address2": "Apt 4"}
    assert read_address("I moved last week") is None


@given(TURNS, TURNS)
def test_that_a_confirmation_counts_only_in_the_turn_right_after_the_ask(ask_turn: int, turn: int) -> None:
    assert confirms("yes", step("1002", OAK, ask_turn), turn) == (turn == ask_turn + 1)


def test_that_a_yes_with_another_order_or_address_confirms_nothing() -> None:
    asked = step("1002", OAK, 1)
    assert confirms("yes please", asked, 2) is True
    assert confirms("yes, to 500 Oak Road, Springfield, IL 62704", asked, 2) is True
    assert confirms("yes, but make it 7 Elm Street, Salem, OR 97301", asked, 2) is False
    assert confirms("yes, order 1001", asked, 2) is False
    assert confirms("no, don't", asked, 2) is False
    assert confirms("yes", None, 2) is False


@pytest.mark.parametrize(
    "answer",
    [
        "please cancel the address change",  # "cancel" is a no here, never a yes
        "stop it",
        "is that correct?",
        "yes but make it 7 Elm Street Salem OR 97301",
        "ok but the zip should be 62705",
        "yes but apartment 4B",
        "yes, 1003",
        "yes, the zip is 62705",
    ],
)
def test_that_only_a_plain_yes_to_this_order_and_address_confirms(answer: str) -> None:
    assert confirms(answer, step("1002", OAK, 1), 2) is False


@given(ORDERS, ADDRESSES, st.sampled_from(["brand", "conversation", "order", "address", "confirmation"]))
def test_that_the_key_is_stable_and_changes_with_conversation_order_address_and_confirmation(
    order: str, address: dict[str, str], changed: str
) -> None:
    key = idempotency_key("acme", "c-1", order, address, 3)
    assert key == idempotency_key("acme", "c-1", order, {k: f" {v.lower()} " for k, v in address.items()}, 3)
    other = {
        "brand": ("globex", "c-1", order, address, 3),
        "conversation": ("acme", "c-2", order, address, 3),
        "order": ("acme", "c-1", f"{order}9", address, 3),
        "address": ("acme", "c-1", order, {**address, "zip": "00000"}, 3),
        "confirmation": ("acme", "c-1", order, address, 5),  # back to an earlier address: a new write
    }[changed]
    assert idempotency_key(*other) != key
    assert key.startswith("address-") and len(key) == 40
