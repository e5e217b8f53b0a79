"""`Database.batch()`: a turn's statements share one commit, and what must be durable is, when it must be.

Each case opens the persistence the API opens (SQLite file, and a PostgreSQL database) and reads
back through a second, independent connection, as another process (or a restart) would.
"""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Callable
from contextlib import closing
from pathlib import Path
from typing import Any

import psycopg
import pytest

from checkpoint.factory import Persistence, open_persistence

Read = Callable[[str], list[tuple[Any, ...]]]


@pytest.fixture(params=["sqlite", "postgres"])
async def opened(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[tuple[Persistence, Read]]:
    url = request.getfixturevalue("postgres_url") if request.param == "postgres" else None

    def read(sql: str) -> list[tuple[Any, ...]]:
        if url:
            with psycopg.connect(url) as conn:
                return [tuple(r) for r in conn.execute(sql).fetchall()]
        with closing(sqlite3.connect(tmp_path / "support.sqlite")) as conn:
            return conn.execute(sql).fetchall()

    async with open_persistence(url, tmp_path) as persistence:
        await persistence.db.execute("DROP TABLE IF EXISTS batch_probe")
        await persistence.db.execute("CREATE TABLE batch_probe (n INTEGER NOT NULL)")
        yield persistence, read


async def test_that_a_batch_is_committed_when_its_block_ends_not_before(
    opened: tuple[Persistence, Read],
) -> None:
    persistence, read = opened
    async with persistence.db.batch() as db:
        await db.execute("INSERT INTO batch_probe (n) VALUES (?)", (1,))
        await db.execute("INSERT INTO batch_probe (n) VALUES (?)", (2,))
        assert await db.fetchall("SELECT n FROM batch_probe ORDER BY n") == [(1,), (2,)]  # its own writes
        assert read("SELECT n FROM batch_probe") == []  # nobody else's yet
    assert read("SELECT n FROM batch_probe ORDER BY n") == [(1,), (2,)]


async def test_that_a_failing_batch_keeps_its_dialects_promise(opened: tuple[Persistence, Read]) -> None:
    """PostgreSQL rolls the whole batch back; SQLite keeps what ran, as a commit per statement did."""
    persistence, read = opened
    with pytest.raises(RuntimeError):
        async with persistence.db.batch() as db:
            await db.execute("INSERT INTO batch_probe (n) VALUES (?)", (1,))
            raise RuntimeError("boom")
    kept = [(1,)] if persistence.db.dialect == "sqlite" else []
    assert read("SELECT n FROM batch_probe") == kept


async def test_that_the_inbound_message_is_durable_when_begin_turn_returns(
    opened: tuple[Persistence, Read],
) -> None:
    persistence, read = opened
    started, _ = await persistence.store.begin_turn("acme:c-1", "acme", "m1", "where is my order 1001?")
    assert started == "new"
    # what the graph runs after: a kill -9 from here on still finds the message and the open turn
    assert read("SELECT raw_text, author FROM conversation_messages WHERE thread_id = 'acme:c-1'") == [
        ("where is my order 1001?", "customer")
    ]
    assert read("SELECT response FROM conversation_turns WHERE thread_id = 'acme:c-1'") == [(None,)]

    await persistence.store.finish_turn("acme:c-1", "acme", "m1", {"reply": "It is in transit."}, "clean")
    assert read(
        "SELECT author, text FROM conversation_messages WHERE thread_id = 'acme:c-1' ORDER BY seq"
    ) == [
        ("customer", "clean"),
        ("ai", "It is in transit."),
    ]
    assert await persistence.store.begin_turn("acme:c-1", "acme", "m1", "where is my order 1001?") == (
        "replay",
        {"reply": "It is in transit."},
    )
