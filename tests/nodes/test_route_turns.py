"""Continuity over HTTP: a waiting workflow gets the customer's answer; a new ask runs beside it."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.utils.conversations import new_conversation, say
from tests.utils.sandbox import Sandbox


def intents(out: dict) -> list[dict]:
    """The turn's intents, confidences to one decimal (calibrated: a sure ask is 0.95 to 1.0)."""
    return [{**i, "confidence": round(i["confidence"], 1)} for i in out["intents"]]


def statuses(out: dict) -> list[tuple[str, str]]:
    return sorted((w["name"], w["status"]) for w in out["workflows"])


def test_that_an_answer_and_a_new_ask_in_one_turn_run_the_waiting_workflow_and_a_new_one(
    client: TestClient, sandbox: Sandbox
) -> None:
    conversation = new_conversation()
    first = say(client, conversation, "please cancel my subscription sub_501")
    assert statuses(first) == [("cancel_subscription", "waiting")]
    second = say(client, conversation, "yes please, and where is my order 1001?")
    assert intents(second) == [
        {"name": "cancel_subscription", "confidence": 1.0},
        {"name": "order_status", "confidence": 1.0},
    ]
    assert statuses(second) == [("cancel_subscription", "waiting"), ("order_status", "resolved")]
    assert second["reply"].split("\n\n")[-1].startswith("Order #1001: payment paid")
    assert sandbox.model_requests()[-1]["body"]["messages"][0]["content"].startswith(
        "You are the order-status"
    )


def test_that_a_new_ask_alone_runs_beside_the_waiting_workflow_which_gets_the_next_answer(
    client: TestClient,
) -> None:
    conversation = new_conversation()
    say(client, conversation, "please cancel my subscription sub_501")
    second = say(client, conversation, "where is my order 1001?")
    assert intents(second) == [{"name": "order_status", "confidence": 1.0}]
    assert statuses(second) == [("order_status", "resolved")]
    third = say(client, conversation, "yes")
    assert intents(third) == [{"name": "cancel_subscription", "confidence": 1.0}]
    assert statuses(third) == [("cancel_subscription", "waiting")]


def test_that_an_ask_no_workflow_handles_is_handed_off_and_the_rest_answered(client: TestClient) -> None:
    out = say(client, new_conversation(), "where is my order 1001 i need a copy of my invoice")
    assert [i["name"] for i in out["intents"]] == ["order_status", "other"]
    assert statuses(out) == [("handoff", "handed_off"), ("order_status", "resolved")]
    assert out["handoff"] == {"reason": "not_automated", "unresolved": ["other"]}
    assert out["reply"].startswith("Order #1001: payment paid")
