"""`returns_refunds`: the window and the cap come from brand config; outside them, handed off with the reason."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from brands import default_brands
from graph.workflows import returns_refunds
from graph.workflows.policy import return_refusal
from tests.conftest import Sandbox
from tests.workflows.conftest import Conversation

SHIPPED = "2026-11-11T16:02:00-05:00"  # acme order #1001's fulfilment


def at(day: str) -> datetime:
    return datetime.fromisoformat(f"{day}T12:00:00+00:00")


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(returns_refunds.SPEC.policy, "clock", lambda: at("2026-11-25"))


async def test_that_an_eligible_return_is_told_honestly_and_the_refund_handed_to_a_colleague(
    conversation: Conversation, sandbox: Sandbox, clock: None
) -> None:
    before = sandbox.admin("commerce", "GET", "state").json()
    out = await conversation(None)("I want to return order 1001 and get a refund")
    run = out["runs"]["returns_refunds"]
    assert (run["status"], out["handoff"]) == (
        "handed_off",
        {"reason": "refund_needs_agent", "unresolved": ["returns_refunds"]},
    )
    assert out["reply"] == (
        "Order #1001 can be returned: it is within our 30-day return window and eligible for a refund "
        "of 61.00 USD. A colleague will send you the return instructions and issue the refund, here in "
        "this conversation."
    )
    assert sandbox.admin("commerce", "GET", "state").json() == before


async def test_that_a_refund_above_the_brand_cap_is_handed_off_with_the_reason(
    conversation: Conversation, clock: None
) -> None:
    acme = default_brands()["acme"]
    capped = acme.model_copy(
        update={"returns": acme.returns.model_copy(update={"refund_cap": Decimal("50")})}
    )
    out = await conversation(capped)("I want to return order 1001 and get a refund")
    assert out["runs"]["returns_refunds"]["status"] == "handed_off"
    assert out["handoff"] == {"reason": "above_refund_cap", "unresolved": ["returns_refunds"]}
    assert out["reply"] == (
        "I cannot approve a return of order #1001 myself: its total is above what I can refund without a "
        "colleague. I have passed it to a colleague, who will reply here."
    )


async def test_that_a_return_outside_the_window_is_handed_off_with_the_reason(
    conversation: Conversation, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(returns_refunds.SPEC.policy, "clock", lambda: at("2026-12-20"))
    out = await conversation(None)("I want to return order 1001 and get a refund")
    assert out["handoff"] == {"reason": "outside_return_window", "unresolved": ["returns_refunds"]}
    assert "it shipped more than 30 days ago, outside our return window" in out["reply"]


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
