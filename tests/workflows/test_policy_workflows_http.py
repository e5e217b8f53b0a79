"""The policy workflows over HTTP, as a client drives them: routing, continuity and the store."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.utils.conversations import new_conversation, say
from tests.utils.sandbox import Sandbox
from tests.workflows.test_cancel_subscription import CONFIRM, DONE, OFFER, subscription


def test_that_a_three_turn_cancellation_over_http_offers_asks_and_cancels_sub_501(
    client: TestClient, sandbox: Sandbox
) -> None:
    conversation = new_conversation()
    assert subscription(sandbox, "sub_501")["status"] == "active"
    replies = []
    for text in (
        "please cancel my subscription sub_501",
        "no thanks, I don't want the offer",
        "yes, cancel it",
    ):
        out = say(client, conversation, text)
        assert out["handoff"] is None
        replies.append((out["workflows"], out["reply"]))
    assert replies == [
        ([{"name": "cancel_subscription", "status": "waiting"}], OFFER),
        ([{"name": "cancel_subscription", "status": "waiting"}], CONFIRM),
        ([{"name": "cancel_subscription", "status": "resolved"}], DONE),
    ]
    assert subscription(sandbox, "sub_501")["status"] == "cancelled"


def test_that_a_return_request_over_http_runs_the_returns_workflow(client: TestClient) -> None:
    out = say(client, new_conversation(), "can I get a refund for order 1002?")
    assert out["workflows"] == [{"name": "returns_refunds", "status": "handed_off"}]
    assert out["handoff"] == {"reason": "not_shipped", "unresolved": ["returns_refunds"]}
