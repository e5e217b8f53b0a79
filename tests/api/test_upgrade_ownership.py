"""Upgrade safety for conversation owners: conversations written before owners were stored get theirs from
their history, and behave by it on their next message.

`tests/fixtures/upgrade/before_ownership/` was written once by `make_ownership_fixture.py` on the
commit its `fixture.json` names (before `state/ownership.py` existed) and is never rewritten: six acme
conversations with handoffs, human replies and closes. A human reply -> `human`; an unanswered
handoff -> `awaiting_human`; else `ai`; a closed one reopens to the owner it had.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from nodes.compose import ACKNOWLEDGE
from tests.utils.conversations import say
from tests.utils.sandbox import Sandbox
from tests.utils.upgrade import app_on_copy, record_of

RECORD: dict[str, Any] = record_of("before_ownership")


@pytest.fixture
def old_service(tmp_path: Path, sandbox: Sandbox) -> Iterator[TestClient]:
    del sandbox  # the servers must be up and the environment set
    with app_on_copy("before_ownership", tmp_path) as client:
        yield client


def test_that_the_fixture_holds_what_each_owner_is_derived_from() -> None:
    conversations = RECORD["conversations"]
    assert {c: v["expected_status"] for c, v in conversations.items()} == {
        "own-ai": "ai",
        "own-awaiting": "awaiting_human",
        "own-partial": "awaiting_human",
        "own-human": "human",
        "own-closed-human": "closed",
        "own-closed-ai": "closed",
    }
    handoffs = [s["response"]["handoff"] for s in conversations["own-awaiting"]["steps"]]
    assert handoffs == [{"reason": "customer_asked", "unresolved": ["handoff"]}]
    assert "status" not in conversations["own-human"]["steps"][-1]["response"]  # written before owners


@pytest.mark.parametrize(
    ("conversation", "status", "answered"),
    [
        ("own-ai", "ai", True),
        ("own-closed-ai", "ai", True),
        ("own-awaiting", "awaiting_human", True),
        ("own-partial", "awaiting_human", True),
        ("own-human", "human", False),
        ("own-closed-human", "human", False),
    ],
)
def test_that_an_old_conversation_gets_its_owner_from_its_history(
    old_service: TestClient, conversation: str, status: str, answered: bool
) -> None:
    if status == "awaiting_human":  # a message that only waits for the person is acknowledged
        hello = say(old_service, conversation, "Hello? Is anyone there?", message_id="m-hello")
        assert (hello["status"], hello["workflows"], hello["reply"]) == (status, [], ACKNOWLEDGE)
    out = say(old_service, conversation, "where is my order 1002?", message_id="m-after-upgrade")
    assert out["status"] == status
    if answered:  # the AI's, or another ask beside the one a person is awaited for
        assert out["workflows"] == [{"name": "order_status", "status": "resolved"}] and out["reply"]
    else:
        assert (out["workflows"], out["reply"]) == ([], None)  # a person owns it: the AI is silent
