"""`returns_refunds` over the real graph and sandbox: window and cap from brand config, a bound
confirmation over turns, then exactly one refund in the store; outside policy, handed off unwritten."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from brands import BrandConfig, default_brands
from tests.utils.sandbox import Sandbox
from tests.utils.workflows import Conversation, Turn
from workflows import returns_refunds
from workflows.returns_refunds.rules import refund_idempotency_key, return_refusal

SHIPPED = "2026-11-11T16:02:00-05:00"  # acme order #1001's fulfilment
ORDER_1001 = 4100000001001
RETURN_1001 = "I want to return order 1001 and get a refund"
ASK = (
    "Order #1001 can be returned: it is within our 30-day return window, so I can refund its total of "
    "61.00 USD. Please confirm: shall I refund 61.00 USD for order #1001? Reply yes to confirm."
)
CONFIRM = "Please confirm: shall I refund 61.00 USD for order #1001? Reply yes to confirm."
DONE = "Done: I have refunded 61.00 USD for order #1001. It goes back to your original payment method."


def at(day: str) -> datetime:
    return datetime.fromisoformat(f"{day}T12:00:00+00:00")


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(returns_refunds.WORKFLOW.policy, "clock", lambda: at("2026-11-25"))


def capped(cap: str) -> BrandConfig:
    acme = default_brands()["acme"]
    return acme.model_copy(update={"returns": acme.returns.model_copy(update={"refund_cap": Decimal(cap)})})


def order(sandbox: Sandbox, number: int = 1001) -> dict[str, Any]:
    orders = sandbox.admin("commerce", "GET", "state").json()["shops"]["acme"]["orders"]
    return next(o for o in orders if o["order_number"] == number)


def refunds(sandbox: Sandbox, number: int = 1001) -> list[tuple[str, list[str]]]:
    """The store's refunds of the order: (financial status after, transaction amounts) per refund."""
    found = order(sandbox, number)
    return [(found["financial_status"], [t["amount"] for t in r["transactions"]]) for r in found["refunds"]]


def refund_writes(sandbox: Sandbox) -> list[dict[str, Any]]:
    requests = sandbox.admin("commerce", "GET", "requests").json()["requests"]
    return [r for r in requests if r["method"] == "POST" and r["path"].endswith("/refunds.json")]


def run_of(out: dict[str, Any]) -> dict[str, Any]:
    run: dict[str, Any] = out["runs"]["returns_refunds"]
    return run


async def test_that_a_confirmed_return_is_refunded_once_on_the_second_turn(
    turn: Turn, sandbox: Sandbox, clock: None
) -> None:
    assert refunds(sandbox) == []
    first = await turn(RETURN_1001)
    assert (run_of(first)["status"], first["reply"], first["handoff"]) == ("waiting", ASK, None)
    assert refunds(sandbox) == []
    assert refund_writes(sandbox) == []
    second = await turn("yes, please refund it")
    assert [i["name"] for i in second["intents"]] == ["returns_refunds"]
    assert (run_of(second)["status"], second["reply"], second["handoff"]) == ("resolved", DONE, None)
    assert refunds(sandbox) == [("refunded", ["61.00"])]
    writes = refund_writes(sandbox)
    assert [w["headers"]["idempotency-key"] for w in writes] == [
        refund_idempotency_key("acme", "", "#1001", "61.00")
    ]
    assert writes[0]["body"]["refund"]["transactions"] == [
        {
            "parent_id": ORDER_1001 + 20_000_000_000,
            "amount": "61.00",
            "kind": "refund",
            "gateway": "shopify_payments",
        }
    ]
    assert run_of(second)["facts"]["policy_refusals"] == 0


async def test_that_the_refund_is_not_written_in_the_turn_that_asks(
    turn: Turn, sandbox: Sandbox, clock: None
) -> None:
    out = await turn(
        "yes, I want to return order 1001 and get a refund"
    )  # a yes in the same turn as the ask confirms nothing
    assert (run_of(out)["status"], out["reply"]) == ("waiting", ASK)
    assert refunds(sandbox) == []


async def test_that_a_no_to_the_confirmation_refunds_nothing(
    turn: Turn, sandbox: Sandbox, clock: None
) -> None:
    await turn(RETURN_1001)
    out = await turn("no, don't refund it")
    assert (run_of(out)["status"], out["reply"]) == ("resolved", "All right, I have not refunded anything.")
    assert refunds(sandbox) == []


async def test_that_a_yes_to_another_amount_needs_a_new_confirmation(
    turn: Turn, sandbox: Sandbox, clock: None
) -> None:
    await turn(RETURN_1001)
    other = await turn("yes, refund 80.00")
    assert (run_of(other)["status"], other["reply"]) == (
        "waiting",
        "I can only refund the order's total, 61.00 USD. " + CONFIRM,
    )
    assert refunds(sandbox) == []
    assert refund_writes(sandbox) == []
    again = await turn("yes, 61.00 is right")
    assert (run_of(again)["status"], again["reply"]) == ("resolved", DONE)
    assert refunds(sandbox) == [("refunded", ["61.00"])]


async def test_that_a_yes_naming_another_order_needs_a_new_confirmation(
    turn: Turn, sandbox: Sandbox, clock: None
) -> None:
    await turn(RETURN_1001)
    out = await turn("yes, refund order 1002")
    assert out["handoff"] == {"reason": "not_shipped", "unresolved": ["returns_refunds"]}
    assert run_of(out)["facts"]["asked"] is None  # the ask for #1001 is no longer open
    assert refund_writes(sandbox) == []
    assert (refunds(sandbox, 1001), refunds(sandbox, 1002)) == ([], [])


async def test_that_a_refund_above_the_brand_cap_is_handed_off_with_the_reason_and_not_written(
    conversation: Conversation, sandbox: Sandbox, clock: None
) -> None:
    send = conversation(capped("50"))
    out = await send(RETURN_1001)
    assert run_of(out)["status"] == "handed_off"
    assert out["handoff"] == {"reason": "above_refund_cap", "unresolved": ["returns_refunds"]}
    assert out["reply"] == (
        "I cannot approve a return of order #1001 myself: its total is above what I can refund without a "
        "colleague. I have passed this to a colleague, who will reply here."
    )
    await send("yes, refund it")
    assert refunds(sandbox) == []
    assert refund_writes(sandbox) == []


async def test_that_a_return_outside_the_window_is_handed_off_with_the_reason(
    conversation: Conversation, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(returns_refunds.WORKFLOW.policy, "clock", lambda: at("2026-12-20"))
    out = await conversation(None)(RETURN_1001)
    assert out["handoff"] == {"reason": "outside_return_window", "unresolved": ["returns_refunds"]}
    assert "it shipped more than 30 days ago, outside our return window" in out["reply"]
    assert refunds(sandbox) == []


async def test_that_a_window_that_closes_between_the_ask_and_the_yes_hands_off_unwritten(
    turn: Turn, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    today = {"now": at("2026-12-10")}  # day 29 after shipping: inside the window
    monkeypatch.setattr(returns_refunds.WORKFLOW.policy, "clock", lambda: today["now"])
    assert (await turn(RETURN_1001))["reply"] == ASK
    today["now"] = at("2026-12-12")
    out = await turn("yes")
    assert out["handoff"] == {"reason": "outside_return_window", "unresolved": ["returns_refunds"]}
    assert run_of(out)["facts"]["policy_refusals"] == 1
    assert refunds(sandbox) == []
    assert refund_writes(sandbox) == []


async def test_that_an_unshipped_order_is_not_a_return(conversation: Conversation, clock: None) -> None:
    out = await conversation(None)("can I get a refund for order 1002?")
    assert out["handoff"] == {"reason": "not_shipped", "unresolved": ["returns_refunds"]}


ORDER = {
    "order": "#1",
    "total": "61.00",
    "currency": "USD",
    "financial_status": "paid",
    "shipped_at": SHIPPED,
}


@given(st.integers(min_value=0, max_value=60), st.integers(min_value=0, max_value=200))
def test_that_a_return_is_approved_exactly_inside_the_window_and_under_the_cap(days: int, cap: int) -> None:
    now = datetime.fromisoformat(SHIPPED).astimezone(UTC) + (at("2026-01-02") - at("2026-01-01")) * days
    refusal = return_refusal(ORDER, now, 30, Decimal(cap), "USD")
    expected = "outside_return_window" if days > 30 else "above_refund_cap" if cap < 61 else None
    assert refusal == expected
