"""Who owns the conversation, over HTTP on both backends: each transition, and what the AI does under it.

The owner is code's (state/ownership.py): a handoff -> awaiting_human (a message that only waits for
the person is acknowledged once, then at most hourly); `human_reply` -> human (the AI is silent: no
model, no tool, no write); `handed_back` -> ai; a close and a reopen return to the owner it had.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from brands import BRANDS_DIR
from config.settings import Settings
from nodes.compose import ACKNOWLEDGE
from service.webhooks import verify
from tests.utils.conversations import event, new_conversation, say
from tests.utils.sandbox import Sandbox
from tests.workflows.test_address_change import shipping, writes
from tests.workflows.test_returns_refunds import at, refund_writes, refunds
from workflows import returns_refunds

HELLO = "Hello? Is anyone there?"


def model_calls(sandbox: Sandbox) -> int:
    return len(sandbox.admin("model", "GET", "requests").json()["requests"])


def clock_of(client: TestClient) -> Callable[[timedelta], None]:
    """Move the service's clock (the one owners are stamped with) forward."""
    now = {"at": datetime.now(UTC)}
    service = client.app.state.service  # type: ignore[attr-defined]
    service.clock = lambda: now["at"]

    def forward(by: timedelta) -> None:
        now["at"] += by

    return forward


def test_that_after_a_handoff_a_waiting_customer_is_acknowledged_once_then_hourly(client: TestClient) -> None:
    forward = clock_of(client)
    conversation = new_conversation()
    handed = say(client, conversation, "I want to talk to a human")
    assert (handed["status"], handed["handoff"]["reason"]) == ("awaiting_human", "customer_asked")
    first = say(client, conversation, HELLO)
    assert (first["reply"], first["workflows"], first["handoff"], first["status"]) == (
        ACKNOWLEDGE, [], None, "awaiting_human"
    )  # fmt: skip
    assert say(client, conversation, "hello??")["reply"] is None  # not the clarifying question, nothing
    assert say(client, conversation, "can I talk to a person please")["reply"] is None  # waits with the first
    forward(timedelta(minutes=61))
    assert say(client, conversation, "still waiting")["reply"] == ACKNOWLEDGE
    assert say(client, conversation, "hi")["segment"] == "ai_only"  # the silences closed nothing


def test_that_another_enabled_ask_still_runs_while_a_person_is_awaited(client: TestClient) -> None:
    conversation = new_conversation()
    say(client, conversation, "I want to talk to a human")
    out = say(client, conversation, "where is my order 1001?")
    assert out["workflows"] == [{"name": "order_status", "status": "resolved"}]
    assert out["status"] == "awaiting_human"  # the person is still awaited for the first ask


def test_that_while_a_person_owns_it_the_ai_neither_answers_nor_writes(
    client: TestClient, sandbox: Sandbox
) -> None:
    conversation = new_conversation()
    say(client, conversation, "I want to talk to a human")
    assert event(client, conversation, "human_reply", text="Hi, Dana here.")["status"] == "human"
    before, calls = shipping(sandbox, "#1002"), model_calls(sandbox)
    for text in (
        "My order 1002 should go to my office instead: 500 Oak Road, Springfield, IL 62704",
        "yes, confirmed",
    ):
        out = say(client, conversation, text)
        assert (out["reply"], out["workflows"], out["intents"], out["status"]) == (None, [], [], "human")
    assert (shipping(sandbox, "#1002"), writes(sandbox), model_calls(sandbox)) == (before, [], calls)
    assert out["segment"] == "ai_and_human"


def test_that_a_persons_reply_voids_the_ais_open_confirmation(
    client: TestClient, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(returns_refunds.WORKFLOW.policy, "clock", lambda: at("2026-11-25"))
    conversation = new_conversation()
    asked = say(client, conversation, "I want to return order 1001 and get a refund")
    assert asked["reply"].endswith("Reply yes to confirm.")
    event(client, conversation, "human_reply", text="Let me check that refund for you.")
    event(client, conversation, "handed_back")
    out = say(client, conversation, "yes")  # a yes to the AI's ask from before the person spoke
    assert (refunds(sandbox), refund_writes(sandbox)) == ([], [])
    assert out["status"] == "ai" and "Done" not in (out["reply"] or "")


def test_that_handed_back_the_ai_answers_again(client: TestClient) -> None:
    conversation = new_conversation()
    say(client, conversation, "I want to talk to a human")
    event(client, conversation, "human_reply", text="Hi, Dana here.")
    assert event(client, conversation, "handed_back")["status"] == "ai"
    out = say(client, conversation, "where is my order 1001?")
    assert (out["status"], out["workflows"]) == ("ai", [{"name": "order_status", "status": "resolved"}])
    assert out["reply"].startswith("Order #1001")


@pytest.mark.parametrize(("owner_events", "reopens_to"), [([], "ai"), (["human_reply"], "human")])
def test_that_a_closed_conversation_reopens_to_the_owner_it_had(
    client: TestClient, owner_events: list[str], reopens_to: str
) -> None:
    conversation = new_conversation()
    say(client, conversation, "where is my order 1001?")
    for kind in owner_events:
        event(client, conversation, kind, text="Hi, Dana here." if kind == "human_reply" else None)
    assert event(client, conversation, "closed")["status"] == "closed"
    out = say(client, conversation, "one more thing: where is my order 1002?")
    assert out["status"] == reopens_to
    assert (out["reply"] is None) == (reopens_to == "human")
    assert event(client, conversation, "ai_closed_without_reply")["status"] == "closed"
    assert event(client, conversation, "reopened")["status"] == reopens_to


def test_that_a_brand_set_to_acknowledge_only_runs_nothing_while_a_person_is_awaited(
    settings: Settings, tmp_path: Path
) -> None:
    brands = tmp_path / "brands"
    brands.mkdir()
    for path in BRANDS_DIR.glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        if path.stem == "acme":
            text += "\nwhile_awaiting_human: acknowledge_only\n"
        (brands / path.name).write_text(text, encoding="utf-8")
    with TestClient(create_app(settings.model_copy(update={"brands_dir": brands}))) as client:
        conversation = new_conversation()
        say(client, conversation, "I want to talk to a human")
        out = say(client, conversation, "where is my order 1001?")
    assert (out["workflows"], out["reply"], out["status"]) == ([], ACKNOWLEDGE, "awaiting_human")


def test_that_the_helpdesk_webhook_hears_of_a_handoff_and_of_a_customer_writing_to_a_person(
    settings: Settings, sandbox: Sandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ACME_WEBHOOK_SECRET", "whsec_acme_e2e")
    brands = tmp_path / "brands"
    brands.mkdir()
    for path in BRANDS_DIR.glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        if path.stem == "acme":
            text += f"\nwebhook: {{url: '{sandbox.webhooks}/acme', secret_env: ACME_WEBHOOK_SECRET}}\n"
        (brands / path.name).write_text(text, encoding="utf-8")
    with TestClient(create_app(settings.model_copy(update={"brands_dir": brands}))) as client:
        service = client.app.state.service  # type: ignore[attr-defined]
        conversation = new_conversation()
        say(client, conversation, "I want to talk to a human", message_id="m-1")
        say(client, conversation, HELLO)  # still awaiting: no second event
        event(client, conversation, "human_reply", text="Dana here.")
        say(client, conversation, "thanks Dana, it is order 1002", message_id="m-3")
        client.portal.call(service.notifier.drain)  # type: ignore[union-attr]
    received = sandbox.webhook_requests("/acme")
    bodies = [json.loads(r["body"]) for r in received]
    assert [(b["type"], b["conversation_id"], b["data"]["message_id"]) for b in bodies] == [
        ("conversation.awaiting_human", conversation, "m-1"),
        ("conversation.customer_wrote", conversation, "m-3"),
    ]
    assert bodies[0]["data"] | {"since": None} == {
        "reason": "customer_asked", "unresolved": ["handoff"], "since": None,
        "message_id": "m-1", "text": "I want to talk to a human",
    }  # fmt: skip
    for r in received:
        headers = r["headers"]
        assert verify(
            "whsec_acme_e2e", headers["x-support-timestamp"], r["body"], headers["x-support-signature"]
        )
        assert not verify(
            "another-secret", headers["x-support-timestamp"], r["body"], headers["x-support-signature"]
        )
