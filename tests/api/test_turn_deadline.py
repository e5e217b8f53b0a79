"""One deadline per turn (the brand's `turn_deadline_s`): a model that never answers in time is
cut off across its client's retries, and the customer is answered within the budget, told why."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from config.settings import Settings
from state.handoffs import CLOSING, why
from tests.utils.conversations import ACME, new_conversation, say
from tests.utils.sandbox import Sandbox
from tests.utils.writes import brands_with

DEADLINE_S = 6


@pytest.fixture
def short_turns(settings: Settings, tmp_path: Path) -> Iterator[TestClient]:
    brands = brands_with(tmp_path / "brands", turn_deadline_s=str(DEADLINE_S))
    with TestClient(create_app(settings.model_copy(update={"brands_dir": brands}))) as client:
        yield client


def test_that_a_model_slowed_to_120_s_is_answered_within_the_turn_deadline(
    short_turns: TestClient, sandbox: Sandbox
) -> None:
    sandbox.admin("model", "POST", "mode", {"mode": "slow", "delay_ms": 120_000})
    conversation = new_conversation()
    started = time.monotonic()
    out = say(short_turns, conversation, "where is my order 1001?")
    took = time.monotonic() - started
    assert took < DEADLINE_S
    assert out["handoff"] == {"reason": "deadline", "unresolved": ["order_status"]}
    assert out["reply"] == f"{why('deadline')} {CLOSING}"
    sandbox.admin("model", "POST", "mode", {"mode": "normal"})
    messages = short_turns.get(f"/v1/conversations/{conversation}", headers=ACME).json()["messages"]
    assert [m["author"] for m in messages] == ["customer", "ai"]  # kept, answered once


def test_that_a_turn_without_a_slow_part_is_not_cut_by_the_deadline(
    short_turns: TestClient, sandbox: Sandbox
) -> None:
    sandbox.admin("model", "POST", "mode", {"mode": "slow", "delay_ms": 300})
    out = say(short_turns, new_conversation(), "where is my order 1001?")
    assert out["workflows"] == [{"name": "order_status", "status": "resolved"}]
    assert out["handoff"] is None
