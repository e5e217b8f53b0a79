"""Confirmations of money and addresses, end to end: the holes a review found, each shut.

A yes counts only as a plain answer (no question, no condition, no number we did not ask about),
only in the turn right after we asked, and only in that turn; "cancel" is never a yes to a change;
a write our own code made is reported even when the model is down; going back to an earlier
address is a new write, not a replay.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from tests.utils.sandbox import Sandbox
from tests.utils.workflows import Turn
from tests.workflows.test_returns_refunds import ASK, RETURN_1001, refunds, run_of
from workflows import returns_refunds

OAK = "500 Oak Road, Springfield, IL 62704"
ELM = "7 Elm Street, Salem, OR 97301"


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        returns_refunds.WORKFLOW.policy, "clock", lambda: datetime.fromisoformat("2026-11-25T12:00:00+00:00")
    )


def address_1002(sandbox: Sandbox) -> str:
    state: dict[str, Any] = sandbox.admin("commerce", "GET", "state").json()
    order = next(o for o in state["shops"]["acme"]["orders"] if o["order_number"] == 1002)
    return order["shipping_address"]["address1"]


async def test_that_a_yes_meant_for_the_address_does_not_issue_an_older_refund(
    turn: Turn, sandbox: Sandbox, clock: None
) -> None:
    assert (await turn(RETURN_1001))["reply"] == ASK
    await turn(f"Also please change the shipping address of order 1002 to {OAK}")
    third = await turn("yes")
    assert refunds(sandbox) == []  # the refund was asked two turns ago: asked again instead
    assert address_1002(sandbox) == "500 Oak Road"
    assert "shall I refund 61.00 USD for order #1001?" in third["reply"]


async def test_that_ok_thanks_after_another_question_refunds_nothing(
    turn: Turn, sandbox: Sandbox, clock: None
) -> None:
    assert (await turn(RETURN_1001))["reply"] == ASK
    await turn("where is my order 1002?")
    await turn("ok thanks")
    assert refunds(sandbox) == []


@pytest.mark.parametrize("answer", ["yes, but only refund 30 dollars of it", "is that correct?"])
async def test_that_a_conditional_or_questioning_yes_refunds_nothing(
    turn: Turn, sandbox: Sandbox, clock: None, answer: str
) -> None:
    assert (await turn(RETURN_1001))["reply"] == ASK
    await turn(answer)
    assert refunds(sandbox) == []


@pytest.mark.parametrize("answer", ["cancel that please", "please cancel the address change", "stop it"])
async def test_that_cancel_is_never_a_yes_to_an_address_change(
    turn: Turn, sandbox: Sandbox, answer: str
) -> None:
    await turn(f"please change the shipping address of order 1002 to {OAK}")
    await turn(answer)
    assert address_1002(sandbox) == "12 Harbor Street"


async def test_that_a_yes_with_another_address_writes_neither(turn: Turn, sandbox: Sandbox) -> None:
    await turn("please change the shipping address of order 1002")
    await turn(OAK)
    await turn("yes, but make it 7 Elm Street Salem OR 97301 instead")
    assert address_1002(sandbox) == "12 Harbor Street"


async def test_that_changing_back_to_an_earlier_address_is_written_not_replayed(
    turn: Turn, sandbox: Sandbox
) -> None:
    for address, street in ((OAK, "500 Oak Road"), (ELM, "7 Elm Street"), (OAK, "500 Oak Road")):
        await turn(f"please change the shipping address of order 1002 to {address}")
        done = await turn("yes")
        assert address_1002(sandbox) == street
        assert done["reply"].startswith(f"Done: order #1002 will now ship to {street}")


async def test_that_a_refund_our_code_made_is_reported_when_the_model_is_down(
    turn: Turn, sandbox: Sandbox, clock: None
) -> None:
    assert (await turn(RETURN_1001))["reply"] == ASK
    sandbox.admin("model", "POST", "mode", {"mode": "down"})
    out = await turn("yes")
    run = run_of(out)
    assert refunds(sandbox) == [("refunded", ["61.00"])]
    assert run["status"] == "resolved" and run["reply"].startswith("Done: I have refunded 61.00 USD")
    assert "#1001" in run["facts"]["refunded"] and run["facts"]["confirmed"] is None


@pytest.mark.parametrize("mode", ["eager", "gullible"])
async def test_that_a_yes_is_never_carried_to_a_later_turn(
    turn: Turn, sandbox: Sandbox, clock: None, mode: str
) -> None:
    assert (await turn(RETURN_1001))["reply"] == ASK
    sandbox.admin("model", "POST", "mode", {"mode": "down"})
    sandbox.admin("commerce", "POST", "mode", {"mode": "down"})
    await turn("yes")  # the store is down: nothing refunded
    sandbox.admin("commerce", "POST", "mode", {"mode": "normal"})
    sandbox.admin("model", "POST", "mode", {"mode": mode})
    await turn("what is happening with the refund of order 1001?")
    assert refunds(sandbox) == []  # no yes in this turn: the model's refund call is refused


async def test_that_ok_thanks_after_another_question_cancels_no_subscription(
    turn: Turn, sandbox: Sandbox
) -> None:
    await turn("please cancel my subscription sub_501")
    await turn("no thanks")  # declines the offer: we ask to confirm the cancel
    await turn("where is my order 1001?")
    await turn("ok thanks")
    state = sandbox.admin("commerce", "GET", "state").json()["shops"]["acme"]
    assert state["cancellations"] == []
    assert next(s for s in state["subscriptions"] if s["id"] == "sub_501")["status"] == "active"
