"""Who owns each conversation, stored beside its log (`conversation_owners`), and its history to derive it.

One row per thread: the owner (`state.ownership`), since when, the handoff a person is awaited for
(reason, unresolved asks, since when), when the AI last acknowledged a waiting customer, the last
customer message. A conversation written before owners were stored has no row: its history (turns
with their responses, helpdesk events, in order) gives the owner (`history`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from checkpoint.db import Database

SCHEMA = (
    """CREATE TABLE IF NOT EXISTS conversation_owners (
        thread_id TEXT NOT NULL PRIMARY KEY, brand_id TEXT NOT NULL, conversation_id TEXT NOT NULL,
        status TEXT NOT NULL, reopens_to TEXT NOT NULL, since TEXT NOT NULL,
        handoff_reason TEXT, unresolved TEXT NOT NULL, handoff_since TEXT,
        acknowledged_at TEXT, last_customer_at TEXT, updated_at TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS conversation_owners_by_status ON conversation_owners (brand_id, status, since)",
)


@dataclass(frozen=True)
class OwnerRow:
    thread_id: str
    brand_id: str
    conversation_id: str
    status: str
    reopens_to: str
    since: str
    """When the conversation got this status (ISO, UTC)."""
    updated_at: str
    handoff_reason: str | None = None
    unresolved: tuple[str, ...] = field(default=())
    handoff_since: str | None = None
    """When a person started to be awaited (the first unanswered handoff)."""
    acknowledged_at: str | None = None
    """When the AI last told a waiting customer that a colleague has the conversation."""
    last_customer_at: str | None = None


_COLUMNS = (
    "thread_id, brand_id, conversation_id, status, reopens_to, since, handoff_reason, unresolved, "
    "handoff_since, acknowledged_at, last_customer_at, updated_at"
)


def _row(values: tuple[Any, ...]) -> OwnerRow:
    (
        thread,
        brand,
        conversation,
        status,
        reopens_to,
        since,
        reason,
        unresolved,
        handoff_since,
        acked,
        last,
        updated,
    ) = values
    return OwnerRow(
        thread, brand, conversation, status, reopens_to, since, updated, reason,
        tuple(json.loads(unresolved)), handoff_since, acked, last,
    )  # fmt: skip


def _values(row: OwnerRow) -> tuple[Any, ...]:
    return (
        row.thread_id, row.brand_id, row.conversation_id, row.status, row.reopens_to, row.since,
        row.handoff_reason, json.dumps(list(row.unresolved)), row.handoff_since, row.acknowledged_at,
        row.last_customer_at, row.updated_at,
    )  # fmt: skip


class OwnerStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def get(self, thread: str) -> OwnerRow | None:
        rows = await self.db.fetchall(
            f"SELECT {_COLUMNS} FROM conversation_owners WHERE thread_id = ?", (thread,)
        )
        return _row(rows[0]) if rows else None

    async def put(self, row: OwnerRow) -> None:
        await self.db.execute(
            f"INSERT INTO conversation_owners ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (thread_id) DO UPDATE SET status = excluded.status, reopens_to = excluded.reopens_to, "
            "since = excluded.since, handoff_reason = excluded.handoff_reason, unresolved = excluded.unresolved, "
            "handoff_since = excluded.handoff_since, acknowledged_at = excluded.acknowledged_at, "
            "last_customer_at = excluded.last_customer_at, updated_at = excluded.updated_at",
            _values(row),
        )

    async def add(self, row: OwnerRow) -> bool:
        """Store `row` unless the thread has an owner already (then keep that one); True when stored."""
        stored = await self.db.execute(
            f"INSERT INTO conversation_owners ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (thread_id) DO NOTHING",
            _values(row),
        )
        return stored == 1

    async def unowned(self) -> list[tuple[str, str]]:
        """The threads (thread, brand) with a turn or an event and no stored owner: written before
        owners were stored."""
        rows = await self.db.fetchall(
            "SELECT thread_id, brand_id FROM conversation_turns t WHERE NOT EXISTS "
            "(SELECT 1 FROM conversation_owners o WHERE o.thread_id = t.thread_id) "
            "UNION SELECT thread_id, brand_id FROM conversation_events e WHERE NOT EXISTS "
            "(SELECT 1 FROM conversation_owners o WHERE o.thread_id = e.thread_id) ORDER BY 1",
        )
        return [(thread, brand) for thread, brand in rows]

    async def list(
        self,
        brand: str,
        statuses: tuple[str, ...],
        after: tuple[str, str] | None,
        limit: int,
        by_handoff: bool,
    ) -> list[OwnerRow]:
        """A brand's conversations with one of `statuses`, oldest first (by `handoff_since` when
        `by_handoff`, else by `since`), after the cursor `(time, thread)`, at most `limit`."""
        key = "handoff_since" if by_handoff else "since"
        marks = ", ".join("?" for _ in statuses)
        params: list[Any] = [brand, *statuses]
        where = f"brand_id = ? AND status IN ({marks})"
        if by_handoff:
            where += " AND handoff_since IS NOT NULL"
        if after is not None:
            where += f" AND ({key} > ? OR ({key} = ? AND thread_id > ?))"
            params += [after[0], after[0], after[1]]
        rows = await self.db.fetchall(
            f"SELECT {_COLUMNS} FROM conversation_owners WHERE {where} ORDER BY {key}, thread_id LIMIT ?",
            (*params, limit),
        )
        return [_row(r) for r in rows]

    async def history(self, thread: str) -> list[tuple[str, str, dict[str, Any] | None]]:
        """The thread's turns (time, `"turn"`, response) and helpdesk events (time, type, response), in order."""
        rows = await self.db.fetchall(
            "SELECT created_at, 'turn', response FROM conversation_turns WHERE thread_id = ? "
            "UNION ALL SELECT created_at, type, response FROM conversation_events WHERE thread_id = ? "
            "ORDER BY 1",
            (thread, thread),
        )
        return [(at, kind, json.loads(response) if response else None) for at, kind, response in rows]
