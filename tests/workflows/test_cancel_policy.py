"""The pure cancel policy (workflows/cancel_subscription/rules.py), property-tested; and the cancel tool's own checks."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from langchain_core.messages import ToolCall

from brands.context import BrandContext
from tests.utils.sandbox import Sandbox
from tools.executor import execute
from tools.subscriptions import CANCEL_SUBSCRIPTION
from workflows.cancel_subscription.rules import (
    cancel_refusal,
    confirms,
    idempotency_key,
    read_confirmation,
    read_offer_answer,
)
from workflows.kit.policy import Refusal

SUBS = st.sampled_from(["sub_501", "sub_502", "sub_9"])
PRICES = st.sampled_from(["29.00", "19.00"])
TURNS = st.integers(min_value=1, max_value=6)


def terms(subscription_id: str, price: str, turn: int) -> dict[str, Any]:
    return {"subscription_id": subscription_id, "price": price, "interval": "1 month", "turn": turn}


@given(SUBS, SUBS, SUBS, SUBS, PRICES, PRICES, TURNS, TURNS, TURNS, TURNS)
def test_that_a_cancel_is_allowed_only_after_an_earlier_offer_and_a_later_bound_confirmation(
    call: str, offered: str, asked: str, confirmed: str, asked_price: str, confirmed_price: str,
    offer_turn: int, ask_turn: int, confirm_turn: int, turn: int,
) -> None:  # fmt: skip
    facts = {
        "offer": terms(offered, "29.00", offer_turn),
        "asked": terms(asked, asked_price, ask_turn),
        "confirmed": terms(confirmed, confirmed_price, confirm_turn),
    }
    allowed = (
        offer_turn < turn
        and call == offered == asked == confirmed
        and asked_price == confirmed_price
        and confirm_turn > ask_turn
        and confirm_turn == turn  # a yes is used in the turn it is given
    )
    assert (cancel_refusal(call, facts, turn) is None) == allowed


@given(SUBS, TURNS)
def test_that_without_an_offer_the_refusal_names_the_offer(call: str, turn: int) -> None:
    refusal = cancel_refusal(call, {"confirmed": terms(call, "29.00", turn)}, turn)
    assert refusal == Refusal(
        "retention_offer_not_made", f"the retention offer for {call} has not been made to the customer yet"
    )


@given(SUBS, TURNS)
def test_that_an_offer_in_this_same_turn_does_not_count(call: str, turn: int) -> None:
    facts = {"offer": terms(call, "29.00", turn)}
    refusal = cancel_refusal(call, facts, turn)
    assert refusal is not None and refusal.rule == "retention_offer_not_made"


@given(SUBS, PRICES, TURNS, st.sampled_from(["subscription_id", "price", "interval", "turn"]))
def test_that_the_idempotency_key_is_stable_and_changes_with_every_bound_value(
    sub: str, price: str, turn: int, changed: str
) -> None:
    confirmed = terms(sub, price, turn)
    key = idempotency_key("acme", confirmed)
    assert key == idempotency_key("acme", dict(confirmed))
    assert key != idempotency_key("globex", confirmed)
    assert key != idempotency_key("acme", {**confirmed, changed: "other"})
    assert key.startswith("cancel-") and len(key) == 39


@given(
    st.sampled_from(["yes", "yes, cancel it", "ok go ahead", "confirm", "please do"]), st.text(max_size=20)
)
def test_that_a_yes_with_a_no_in_it_never_confirms(yes: str, noise: str) -> None:
    assert read_confirmation(f"{yes} {noise} no, don't") != "yes"
    assert read_confirmation(yes) == "yes"


def test_that_the_customer_texts_of_the_flow_read_as_intended() -> None:
    assert read_offer_answer("no thanks, I don't want the offer") == "decline"
    assert read_offer_answer("just cancel it please") == "decline"
    assert read_offer_answer("yes please, I'll take the offer") == "accept"
    assert read_offer_answer("what is the offer again?") == "unclear"
    assert read_offer_answer("yes") == "unclear"  # to "the offer instead, or shall I cancel?"
    assert read_confirmation("no, keep it") == "no"
    assert read_confirmation("hmm, maybe") == "unclear"


@given(TURNS, TURNS)
def test_that_a_confirmation_counts_only_in_the_turn_right_after_the_ask(ask_turn: int, turn: int) -> None:
    asked = terms("sub_501", "29.00", ask_turn)
    assert confirms("yes, cancel it", asked, turn) == (turn == ask_turn + 1)


@pytest.mark.parametrize(
    "answer", ["is that the monthly one?", "yes but only after the next delivery", "yes, cancel sub_502 too"]
)
def test_that_only_a_plain_yes_confirms_a_cancel(answer: str) -> None:
    asked = terms("sub_501", "29.00", 1)
    assert confirms("yes, cancel sub_501", asked, 2) is True
    assert confirms(answer, asked, 2) is False


def test_that_a_yes_naming_only_another_subscription_confirms_nothing() -> None:
    asked = terms("sub_501", "29.00", 1)
    assert confirms("yes, cancel sub_502", asked, 2) is False
    assert confirms("yes, cancel sub_501", asked, 2) is True
    assert confirms("yes", None, 2) is False


def cancel_call(**args: str) -> ToolCall:
    return ToolCall(
        name="cancel_subscription", args={"subscription_id": "sub_501", **args}, id="c1", type="tool_call"
    )


ALICE = BrandContext(
    brand_id="acme", customer_id="cus_alice", customer_email="alice@example.com", customer_verified=True
)


async def test_that_a_retried_cancel_with_the_same_key_cancels_once(sandbox: Sandbox) -> None:
    call = cancel_call(
        idempotency_key="cancel-retry-test", confirmed_price="29.00", confirmed_interval="1 month"
    )
    first = await execute([call], [CANCEL_SUBSCRIPTION], ALICE, "cancel_subscription")
    again = await execute([call], [CANCEL_SUBSCRIPTION], ALICE, "cancel_subscription")
    assert [first.messages[0].status, again.messages[0].status] == ["success", "success"]
    state = sandbox.admin("commerce", "GET", "state").json()["shops"]["acme"]
    assert [(c["subscription_id"], c["idempotency_key"]) for c in state["cancellations"]] == [
        ("sub_501", "cancel-retry-test")
    ]


async def test_that_a_changed_price_since_the_confirmation_is_refused_by_the_tool(sandbox: Sandbox) -> None:
    before = sandbox.admin("commerce", "GET", "state").json()["shops"]["acme"]
    call = cancel_call(
        idempotency_key="cancel-price-test", confirmed_price="19.00", confirmed_interval="1 month"
    )
    done = await execute([call], [CANCEL_SUBSCRIPTION], ALICE, "cancel_subscription")
    assert done.messages[0].text == (
        "Error: the subscription's terms changed since the customer confirmed (19.00 every 1 month, now 29.00 "
        "every 1 month): a new confirmation is needed"
    )
    assert sandbox.admin("commerce", "GET", "state").json()["shops"]["acme"] == before


async def test_that_a_cancel_without_the_key_the_guard_sets_is_refused_by_the_tool(sandbox: Sandbox) -> None:
    before = sandbox.admin("commerce", "GET", "state").json()["shops"]["acme"]
    done = await execute([cancel_call()], [CANCEL_SUBSCRIPTION], ALICE, "cancel_subscription")
    assert done.messages[0].text == "Error: the cancellation has not been confirmed by the customer"
    assert sandbox.admin("commerce", "GET", "state").json()["shops"]["acme"] == before
