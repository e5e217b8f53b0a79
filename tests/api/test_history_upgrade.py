"""The run history and the lists on a data directory written before either existed.

`tests/fixtures/upgrade/before_ownership/` (written once by `make_ownership_fixture.py`, never
rewritten) holds six acme conversations from before conversations had a stored owner. Opening it
today adds the run-history tables (`CREATE TABLE IF NOT EXISTS`) and stores each conversation's
owner as its history gives it (`service.listing.adopt_owners`), so the handoffs that were waiting
then are listed now, oldest first, with their reason and the customer's last message.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.utils.conversations import ACME, say
from tests.utils.sandbox import Sandbox
from tests.utils.upgrade import app_on_copy, record_of

RECORD: dict[str, Any] = record_of("before_ownership")


@pytest.fixture
def old_service(tmp_path: Path, sandbox: Sandbox) -> Iterator[TestClient]:
    del sandbox  # the servers must be up and the environment set
    with app_on_copy("before_ownership", tmp_path) as client:
        yield client


def test_that_the_handoffs_waiting_before_the_upgrade_are_listed_with_their_last_message(
    old_service: TestClient,
) -> None:
    body = old_service.get("/v1/handoffs", params={"status": "waiting"}, headers=ACME).json()
    assert body["next_cursor"] is None
    listed = {h["conversation_id"]: h for h in body["handoffs"]}
    assert sorted(listed) == ["own-awaiting", "own-partial"]
    for conversation, row in listed.items():
        view = old_service.get(f"/v1/conversations/{conversation}", headers=ACME).json()
        first = view["messages"][0]
        assert row == {
            "conversation_id": conversation,
            "since": first["time"],  # the handoff's turn, stored with its message
            "reason": "customer_asked",
            "unresolved": ["handoff"],
            "last_customer_message": {"text": first["text"], "time": first["time"]},
            "writes": [],
        }
        assert (view["status"], view["pending_handoff"]) == (
            "awaiting_human",
            {"reason": "customer_asked", "unresolved": ["handoff"], "since": row["since"]},
        )
        assert (view["runs"], view["writes"], view["open_confirmation"]) == (
            [],
            [],
            None,
        )  # none recorded then
    assert [h["conversation_id"] for h in body["handoffs"]] == sorted(
        listed, key=lambda c: listed[c]["since"]
    )


def test_that_every_conversation_from_before_the_upgrade_is_listed_with_its_status(
    old_service: TestClient,
) -> None:
    rows = old_service.get("/v1/conversations", params={"limit": 200}, headers=ACME).json()["conversations"]
    expected = {name: c["expected_status"] for name, c in RECORD["conversations"].items()}
    assert {r["conversation_id"]: r["status"] for r in rows} == expected
    for name, status in expected.items():
        assert old_service.get(f"/v1/conversations/{name}", headers=ACME).json()["status"] == status


def test_that_a_turn_after_the_upgrade_starts_the_conversations_run_history(old_service: TestClient) -> None:
    say(old_service, "own-ai", "where is my order 1002?", message_id="m-after")
    view = old_service.get("/v1/conversations/own-ai", headers=ACME).json()
    assert [(r["workflow"], r["status"], r["turn"], r["message_id"]) for r in view["runs"]] == [
        ("order_status", "resolved", 2, "m-after")
    ]
