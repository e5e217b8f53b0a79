"""The conversation store: the full message log and the turn ledger, outside the checkpoints.

Invariant guarded here (nothing lost): the inbound message is written before the turn runs, and
a turn is keyed by `(thread, message_id)`, so a retry returns the stored response instead of a
second run, and the same id with other text is a conflict. Helpdesk events (`conversation_events`)
are keyed by `(thread, event_id)` the same way. Each thread's customers (the API's
`customer.id`) are kept in `conversation_customers`, so a customer's data can be erased
(`checkpoint/erasure.py`). Checkpoints keep only a bounded
window of the conversation; `GET /v1/conversations/{id}` reads the whole log from here, and the
run history (`checkpoint/history.py`: every workflow run and write of every turn), stored with
each turn's response.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from checkpoint.db import Database
from checkpoint.history import SCHEMA as HISTORY_SCHEMA
from checkpoint.history import HistoryStore, TurnHistory
from checkpoint.owners import SCHEMA as OWNERS_SCHEMA
from checkpoint.owners import OwnerStore

SCHEMA = (
    """CREATE TABLE IF NOT EXISTS conversation_messages (
        thread_id TEXT NOT NULL, seq INTEGER NOT NULL, brand_id TEXT NOT NULL,
        message_id TEXT, author TEXT NOT NULL, text TEXT, raw_text TEXT, created_at TEXT NOT NULL,
        PRIMARY KEY (thread_id, seq))""",
    """CREATE TABLE IF NOT EXISTS conversation_turns (
        thread_id TEXT NOT NULL, message_id TEXT NOT NULL, brand_id TEXT NOT NULL,
        text_sha256 TEXT NOT NULL, response TEXT, created_at TEXT NOT NULL,
        PRIMARY KEY (thread_id, message_id))""",
    """CREATE TABLE IF NOT EXISTS conversation_events (
        thread_id TEXT NOT NULL, event_id TEXT NOT NULL, brand_id TEXT NOT NULL, type TEXT NOT NULL,
        body_sha256 TEXT NOT NULL, response TEXT, created_at TEXT NOT NULL,
        PRIMARY KEY (thread_id, event_id))""",
    """CREATE TABLE IF NOT EXISTS conversation_customers (
        thread_id TEXT NOT NULL, customer_id TEXT NOT NULL, brand_id TEXT NOT NULL, created_at TEXT NOT NULL,
        PRIMARY KEY (thread_id, customer_id))""",
    "CREATE INDEX IF NOT EXISTS conversation_customers_by_customer ON conversation_customers (brand_id, customer_id)",
)

TurnStart = Literal["new", "replay", "conflict", "in_flight"]


@dataclass(frozen=True)
class StoredMessage:
    author: str
    text: str
    time: str
    message_id: str | None


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


class ConversationStore:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.owners = OwnerStore(db)
        """Who owns each conversation (`checkpoint/owners.py`)."""
        self.history = HistoryStore(db)
        """Every workflow run and write of each turn (`checkpoint/history.py`)."""

    async def setup(self) -> None:
        for statement in (*SCHEMA, *OWNERS_SCHEMA, *HISTORY_SCHEMA):
            await self.db.execute(statement)

    async def _append(
        self,
        thread: str,
        brand: str,
        author: str,
        message_id: str | None,
        text: str | None,
        raw: str | None,
        db: Database | None = None,
    ) -> None:
        await (db or self.db).execute(
            "INSERT INTO conversation_messages (thread_id, seq, brand_id, message_id, author, text, raw_text, created_at) "
            "SELECT ?, COALESCE(MAX(seq), 0) + 1, ?, ?, ?, ?, ?, ? FROM conversation_messages WHERE thread_id = ?",
            (thread, brand, message_id, author, text, raw, _now(), thread),
        )

    async def begin_turn(
        self, thread: str, brand: str, message_id: str, raw_text: str, customer_id: str | None = None
    ) -> tuple[TurnStart, dict[str, Any] | None]:
        """Record the inbound message durably, or tell how an earlier turn with this id stands.

        The turn row and the message are committed together, before this returns (one batch), with
        the thread's customer (`conversation_customers`: what erasing a customer finds)."""
        async with self.db.batch() as db:
            rows = await db.fetchall(
                "SELECT text_sha256, response FROM conversation_turns WHERE thread_id = ? AND message_id = ?",
                (thread, message_id),
            )
            if rows:
                sha, response = rows[0]
                if sha != _sha(raw_text):
                    return "conflict", None
                return ("replay", json.loads(response)) if response else ("in_flight", None)
            await db.execute(
                "INSERT INTO conversation_turns (thread_id, message_id, brand_id, text_sha256, response, created_at) VALUES (?, ?, ?, ?, NULL, ?)",
                (thread, message_id, brand, _sha(raw_text), _now()),
            )
            await self._append(thread, brand, "customer", message_id, None, raw_text, db)
            if customer_id is not None:
                await db.execute(
                    "INSERT INTO conversation_customers (thread_id, customer_id, brand_id, created_at) "
                    "VALUES (?, ?, ?, ?) ON CONFLICT (thread_id, customer_id) DO NOTHING",
                    (thread, customer_id, brand, _now()),
                )
        return "new", None

    async def finish_turn(
        self,
        thread: str,
        brand: str,
        message_id: str,
        response: dict[str, Any],
        clean_text: str | None,
        history: TurnHistory | None = None,
    ) -> None:
        """Store the reply, the response and the turn's run history, so a retry of `message_id`
        replays it (one batch)."""
        async with self.db.batch() as db:
            if history is not None:
                await self.history.add(thread, brand, history, db)
            if clean_text is not None:
                await db.execute(
                    "UPDATE conversation_messages SET text = ? WHERE thread_id = ? AND message_id = ? AND author = 'customer'",
                    (clean_text, thread, message_id),
                )
            if response.get("reply"):
                await self._append(thread, brand, "ai", f"reply:{message_id}", response["reply"], None, db)
            await db.execute(
                "UPDATE conversation_turns SET response = ? WHERE thread_id = ? AND message_id = ?",
                (json.dumps(response), thread, message_id),
            )

    async def messages(self, thread: str) -> list[StoredMessage]:
        rows = await self.db.fetchall(
            "SELECT author, text, raw_text, created_at, message_id FROM conversation_messages WHERE thread_id = ? ORDER BY seq",
            (thread,),
        )
        return [
            StoredMessage(author, text if text is not None else raw or "", time, mid)
            for author, text, raw, time, mid in rows
        ]

    async def last_customer_messages(self, threads: Sequence[str]) -> dict[str, StoredMessage]:
        """The latest customer message of each of `threads` (a thread without one: absent)."""
        if not threads:
            return {}
        marks = ", ".join("?" for _ in threads)
        rows = await self.db.fetchall(
            "SELECT m.thread_id, m.author, m.text, m.raw_text, m.created_at, m.message_id "
            f"FROM conversation_messages m WHERE m.thread_id IN ({marks}) AND m.author = 'customer' "
            "AND m.seq = (SELECT MAX(l.seq) FROM conversation_messages l "
            "WHERE l.thread_id = m.thread_id AND l.author = 'customer')",
            tuple(threads),
        )
        return {
            thread: StoredMessage(author, text if text is not None else raw or "", time, mid)
            for thread, author, text, raw, time, mid in rows
        }

    async def exists(self, thread: str) -> bool:
        rows = await self.db.fetchall(
            "SELECT 1 FROM conversation_turns WHERE thread_id = ? LIMIT 1", (thread,)
        )
        return bool(rows)

    async def begin_event(
        self, thread: str, brand: str, event_id: str, event_type: str, body: str
    ) -> tuple[TurnStart, dict[str, Any] | None]:
        """Claim `event_id` on the thread, or tell how an earlier event with this id stands."""
        rows = await self.db.fetchall(
            "SELECT body_sha256, response FROM conversation_events WHERE thread_id = ? AND event_id = ?",
            (thread, event_id),
        )
        if rows:
            sha, response = rows[0]
            if sha != _sha(body):
                return "conflict", None
            return ("replay", json.loads(response)) if response else ("in_flight", None)
        await self.db.execute(
            "INSERT INTO conversation_events (thread_id, event_id, brand_id, type, body_sha256, response, created_at) "
            "VALUES (?, ?, ?, ?, ?, NULL, ?) ON CONFLICT (thread_id, event_id) DO NOTHING",
            (thread, event_id, brand, event_type, _sha(body), _now()),
        )
        return "new", None

    async def finish_event(self, thread: str, event_id: str, response: dict[str, Any]) -> None:
        await self.db.execute(
            "UPDATE conversation_events SET response = ? WHERE thread_id = ? AND event_id = ?",
            (json.dumps(response), thread, event_id),
        )

    async def add_message(
        self, thread: str, brand: str, author: str, message_id: str, text: str, raw_text: str | None = None
    ) -> bool:
        """Append a message once per `(thread, message_id)`; False when it is already there."""
        rows = await self.db.fetchall(
            "SELECT 1 FROM conversation_messages WHERE thread_id = ? AND message_id = ? LIMIT 1",
            (thread, message_id),
        )
        if rows:
            return False
        await self._append(thread, brand, author, message_id, text, raw_text)
        return True

    async def known(self, thread: str) -> bool:
        """Whether the thread has seen a turn or an event (a closed ticket may have no message)."""
        rows = await self.db.fetchall(
            "SELECT 1 FROM conversation_turns WHERE thread_id = ? "
            "UNION ALL SELECT 1 FROM conversation_events WHERE thread_id = ? LIMIT 1",
            (thread, thread),
        )
        return bool(rows)
