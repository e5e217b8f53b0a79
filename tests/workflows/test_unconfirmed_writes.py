"""A write whose answer is lost is never sent again blindly nor reported as failed: the customer hears
that it is being checked, the intent goes to a person (`write_unconfirmed`), and the store got one
request. (Reading the store back to say what is true is the next step of this work.)"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.utils.conversations import new_conversation, say
from tests.utils.sandbox import Sandbox
from tests.workflows.test_returns_refunds import at, refund_writes
from workflows import returns_refunds
from workflows.kit.confirm import UNCONFIRMED


def test_that_a_refund_whose_answer_is_lost_is_sent_once_and_not_called_failed(
    client: TestClient, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(returns_refunds.WORKFLOW.policy, "clock", lambda: at("2026-11-25"))
    conversation = new_conversation()
    assert say(client, conversation, "I want to return order 1001 and get a refund")["reply"].endswith(
        "Reply yes to confirm."
    )
    # the yes turn calls the store three times: the order, the calculation, the refund; the third fails
    sandbox.admin("commerce", "POST", "mode", {"mode": "flaky", "fail_every": 3})
    out = say(client, conversation, "yes")
    assert out["reply"] == UNCONFIRMED.format(what="refund")
    assert out["handoff"] == {"reason": "write_unconfirmed", "unresolved": ["returns_refunds"]}
    assert len(refund_writes(sandbox)) == 1  # never sent again blindly
    assert "could not issue" not in out["reply"]
