"""`POST /v1/conversations/{id}/events` over HTTP: human replies join the thread, one segment everywhere."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.utils.conversations import ACME, GLOBEX, event, new_conversation, say
from tests.utils.sandbox import Sandbox


def conversation_of(client: TestClient, conversation: str, headers: dict = ACME) -> dict:
    response = client.get(f"/v1/conversations/{conversation}", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def test_that_a_human_reply_joins_the_messages_as_human_and_turns_ai_only_into_ai_and_human(
    client: TestClient,
) -> None:
    conversation = new_conversation()
    assert say(client, conversation, "where is my order 1001?")["segment"] == "ai_only"
    out = event(
        client, conversation, "human_reply", text="Hi, Sam here\u200b: it arrives Friday.", event_id="e1"
    )
    assert out == {
        "conversation_id": conversation,
        "event_id": "e1",
        "type": "human_reply",
        "segment": "ai_and_human",
        "status": "human",
    }
    convo = conversation_of(client, conversation)
    assert [(m["author"], m["text"]) for m in convo["messages"]][1:] == [
        ("ai", convo["messages"][1]["text"]),
        ("human", "Hi, Sam here: it arrives Friday."),
    ]
    assert convo["segment"] == "ai_and_human"
    later = say(client, conversation, "where is my order 1002?")  # the person has it: the AI is silent
    assert (later["segment"], later["reply"], later["status"]) == ("ai_and_human", None, "human")


def test_that_an_event_on_a_conversation_the_ai_never_saw_creates_it(
    client: TestClient, sandbox: Sandbox
) -> None:
    human_only, unanswered = new_conversation(), new_conversation()
    assert event(client, human_only, "human_reply", text="We refunded you.")["segment"] == "human_only"
    assert event(client, unanswered, "closed")["segment"] == "nobody"
    assert [(m["author"], m["text"]) for m in conversation_of(client, human_only)["messages"]] == [
        ("human", "We refunded you.")
    ]
    assert conversation_of(client, unanswered) == {
        "conversation_id": unanswered,
        "messages": [],
        "workflows": [],
        "handoff": None,
        "segment": "nobody",
        "status": "closed",
        "pending_handoff": None,
        "runs": [],
        "writes": [],
        "open_confirmation": None,
    }
    assert client.get(f"/v1/conversations/{unanswered}", headers=GLOBEX).status_code == 404
    assert sandbox.model_requests() == []


def test_that_the_same_event_id_replays_and_other_content_is_409(client: TestClient) -> None:
    conversation = new_conversation()
    first = event(client, conversation, "human_reply", text="On it.", event_id="e1")
    assert event(client, conversation, "human_reply", text="On it.", event_id="e1") == first
    assert [m["author"] for m in conversation_of(client, conversation)["messages"]] == ["human"]
    body = {"event_id": "e1", "type": "closed", "author": None, "text": None}
    response = client.post(f"/v1/conversations/{conversation}/events", json=body, headers=ACME)
    assert (response.status_code, response.json()) == (409, {"detail": "event_id reused with another event"})


def test_that_a_bad_event_is_422_with_the_field_named(client: TestClient) -> None:
    response = client.post(
        "/v1/conversations/c1/events", json={"event_id": "e1", "type": "merged"}, headers=ACME
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "type"]
    response = client.post(
        "/v1/conversations/c1/events", json={"event_id": "e 1", "type": "closed"}, headers=ACME
    )
    assert response.json()["detail"][0]["loc"] == ["body", "event_id"]
    response = client.post("/v1/conversations/c1/events", json={"event_id": "e1", "type": "closed"})
    assert response.status_code == 401


def test_that_an_ai_closed_without_reply_event_counts_only_while_nobody_replied(client: TestClient) -> None:
    silent, answered = new_conversation(), new_conversation()
    assert event(client, silent, "ai_closed_without_reply")["segment"] == "ai_closed_no_reply"
    say(client, answered, "where is my order 1001?")
    assert event(client, answered, "ai_closed_without_reply")["segment"] == "ai_only"


def test_that_padding_only_closes_silently_without_a_model_call(client: TestClient, sandbox: Sandbox) -> None:
    conversation = new_conversation()
    out = say(client, conversation, "\u200b\u200b\u2060 \u00a0")
    assert (out["reply"], out["intents"], out["workflows"], out["segment"]) == (
        None,
        [],
        [],
        "ai_closed_no_reply",
    )
    assert sandbox.model_requests() == []
    assert [(m["author"], m["text"]) for m in conversation_of(client, conversation)["messages"]] == [
        ("customer", "")
    ]


def test_that_auto_replies_get_no_answer_even_when_they_mention_a_parcel(
    client: TestClient, sandbox: Sandbox
) -> None:
    out = say(client, new_conversation(), "Automatic reply: I am out of the office until 1 December.")
    assert (out["reply"], out["segment"]) == (None, "ai_closed_no_reply")
    receipt = say(
        client, new_conversation(), "Delivery Status Notification: where is my parcel 1001 was delivered"
    )
    assert (receipt["reply"], receipt["intents"], receipt["segment"]) == (None, [], "ai_closed_no_reply")
    assert sandbox.model_requests() == []


def test_that_padding_while_a_workflow_waits_gets_no_answer_and_the_workflow_keeps_waiting(
    client: TestClient, sandbox: Sandbox
) -> None:
    conversation = new_conversation()
    say(client, conversation, "where is my package?")
    sandbox.admin("model", "DELETE", "requests")
    out = say(client, conversation, "\u200b\u200b")
    assert (out["reply"], out["workflows"], out["segment"]) == (None, [], "ai_only")
    assert sandbox.model_requests() == []
    assert say(client, conversation, "it is #1001")["workflows"] == [
        {"name": "order_status", "status": "resolved"}
    ]


def test_that_thanks_closes_silently_after_a_resolved_answer_but_not_while_a_workflow_waits(
    client: TestClient,
) -> None:
    resolved = new_conversation()
    say(client, resolved, "where is my order 1001?")
    out = say(client, resolved, "Thanks a lot!")
    assert (out["reply"], out["segment"], out["workflows"]) == (None, "ai_only", [])
    assert [m["author"] for m in conversation_of(client, resolved)["messages"]] == [
        "customer",
        "ai",
        "customer",
    ]
    waiting = new_conversation()
    say(client, waiting, "where is my package?")
    again = say(client, waiting, "thanks")
    assert again["reply"] and [w["name"] for w in again["workflows"]] == [
        "order_status"
    ]  # the workflow went on
