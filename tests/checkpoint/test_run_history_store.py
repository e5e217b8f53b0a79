"""The run history's tables (`checkpoint/history.py`) on SQLite and PostgreSQL: rows in order, once
per turn however often it is stored, each thread's own. (A database written before the tables
existed: `tests/api/test_history_upgrade.py`.)"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from checkpoint.factory import Persistence, open_persistence
from checkpoint.history import RunRow, TurnHistory, WriteRow

AT = "2026-11-25T12:00:00.000+00:00"


def turn(message_id: str, turn: int, *workflows: str) -> TurnHistory:
    runs = tuple(RunRow(w, "resolved", turn, message_id, None, AT) for w in workflows)
    writes = tuple(
        WriteRow(w, f"call-{turn}", "refund", "#1001", "61.00", "USD", "done", None, turn, message_id, AT)
        for w in workflows
        if w == "returns_refunds"
    )
    return TurnHistory(runs, writes)


@pytest.fixture(params=["sqlite", "postgres"])
async def persistence(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Persistence]:
    url = request.getfixturevalue("postgres_url") if request.param == "postgres" else None
    async with open_persistence(url, tmp_path) as opened:
        yield opened


async def test_that_a_turns_rows_are_kept_once_and_in_order(persistence: Persistence) -> None:
    history = persistence.store.history
    thread = f"acme:c-{uuid.uuid4().hex[:12]}"
    await history.add(thread, "acme", turn("m-1", 1, "returns_refunds", "order_status"))
    await history.add(thread, "acme", turn("m-2", 2, "returns_refunds"))
    await history.add(thread, "acme", turn("m-1", 1, "returns_refunds", "order_status"))  # stored again
    async with persistence.db.batch() as db:  # and again, inside a turn's batch
        await history.add(thread, "acme", turn("m-2", 2, "returns_refunds"), db)
    assert [(r.message_id, r.workflow, r.turn) for r in await history.runs(thread)] == [
        ("m-1", "returns_refunds", 1),
        ("m-1", "order_status", 1),
        ("m-2", "returns_refunds", 2),
    ]
    writes = await history.writes([thread, "acme:nobody"])
    assert list(writes) == [thread]
    assert [(w.message_id, w.call_id, w.target, w.amount) for w in writes[thread]] == [
        ("m-1", "call-1", "#1001", "61.00"),
        ("m-2", "call-2", "#1001", "61.00"),
    ]
    assert await history.runs("globex:" + thread.partition(":")[2]) == []
