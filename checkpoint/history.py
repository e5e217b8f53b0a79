"""What the AI did in each conversation, kept beside its log: one row per workflow run per turn
(`conversation_runs`) and one per write the AI made or tried (`conversation_writes`).

The checkpoint keeps one run per workflow name (a second refund's run replaces the first's), so the
person who takes a conversation over reads what happened here. The rows are written when a turn
finishes, in the batch that stores its response (`ConversationStore.finish_turn`), and keyed by the
turn's `message_id` (a run by its workflow, a write by its tool call): a turn stored twice (a
replay, a retry after a crash between the run and the store) adds nothing.

Upgrade path: both tables are new, so `CREATE TABLE IF NOT EXISTS` at start adds them to a database
written before they existed; conversations from before have no rows (nothing was recorded then).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from checkpoint.db import Database

SCHEMA = (
    """CREATE TABLE IF NOT EXISTS conversation_runs (
        thread_id TEXT NOT NULL, message_id TEXT NOT NULL, workflow TEXT NOT NULL, seq INTEGER NOT NULL,
        brand_id TEXT NOT NULL, turn INTEGER NOT NULL, status TEXT NOT NULL, handoff_reason TEXT,
        created_at TEXT NOT NULL,
        PRIMARY KEY (thread_id, message_id, workflow))""",
    """CREATE TABLE IF NOT EXISTS conversation_writes (
        thread_id TEXT NOT NULL, message_id TEXT NOT NULL, workflow TEXT NOT NULL, call_id TEXT NOT NULL,
        seq INTEGER NOT NULL, brand_id TEXT NOT NULL, turn INTEGER NOT NULL, kind TEXT NOT NULL,
        target TEXT, amount TEXT, currency TEXT, result TEXT NOT NULL, error_code TEXT,
        created_at TEXT NOT NULL,
        PRIMARY KEY (thread_id, message_id, workflow, call_id))""",
    "CREATE INDEX IF NOT EXISTS conversation_runs_in_order ON conversation_runs (thread_id, seq)",
    "CREATE INDEX IF NOT EXISTS conversation_writes_in_order ON conversation_writes (thread_id, seq)",
)


@dataclass(frozen=True)
class RunRow:
    """One workflow run in one turn, as the turn left it."""

    workflow: str
    status: str
    turn: int
    message_id: str
    handoff_reason: str | None
    created_at: str


@dataclass(frozen=True)
class WriteRow:
    """One call of a write tool the AI made in a turn, and how it went."""

    workflow: str
    call_id: str
    kind: str
    target: str | None
    amount: str | None
    currency: str | None
    result: str
    """`done`, `refused` (nothing was written) or `failed` (the write may or may not have happened)."""
    error_code: str | None
    turn: int
    message_id: str
    created_at: str


@dataclass(frozen=True)
class TurnHistory:
    """What one turn adds to the history."""

    runs: tuple[RunRow, ...] = ()
    writes: tuple[WriteRow, ...] = ()


_RUN_COLUMNS = "workflow, status, turn, message_id, handoff_reason, created_at"
_WRITE_COLUMNS = (
    "workflow, call_id, kind, target, amount, currency, result, error_code, turn, message_id, created_at"
)


class HistoryStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def add(self, thread: str, brand: str, history: TurnHistory, db: Database | None = None) -> None:
        """Append a turn's rows once (`db`: the batch that stores the turn's response)."""
        db = db or self.db
        for run in history.runs:
            await db.execute(
                f"INSERT INTO conversation_runs (thread_id, brand_id, seq, {_RUN_COLUMNS}) "
                "SELECT ?, ?, COALESCE(MAX(seq), 0) + 1, ?, ?, ?, ?, ?, ? FROM conversation_runs "
                "WHERE thread_id = ? ON CONFLICT (thread_id, message_id, workflow) DO NOTHING",
                (thread, brand, run.workflow, run.status, run.turn, run.message_id, run.handoff_reason,
                 run.created_at, thread),
            )  # fmt: skip
        for write in history.writes:
            await db.execute(
                f"INSERT INTO conversation_writes (thread_id, brand_id, seq, {_WRITE_COLUMNS}) "
                "SELECT ?, ?, COALESCE(MAX(seq), 0) + 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM conversation_writes "
                "WHERE thread_id = ? ON CONFLICT (thread_id, message_id, workflow, call_id) DO NOTHING",
                (thread, brand, write.workflow, write.call_id, write.kind, write.target, write.amount,
                 write.currency, write.result, write.error_code, write.turn, write.message_id,
                 write.created_at, thread),
            )  # fmt: skip

    async def runs(self, thread: str) -> list[RunRow]:
        rows = await self.db.fetchall(
            f"SELECT {_RUN_COLUMNS} FROM conversation_runs WHERE thread_id = ? ORDER BY seq", (thread,)
        )
        return [RunRow(*row) for row in rows]

    async def writes(self, threads: Sequence[str]) -> dict[str, list[WriteRow]]:
        """The writes of each of `threads`, in order (a thread without any: absent)."""
        if not threads:
            return {}
        marks = ", ".join("?" for _ in threads)
        rows = await self.db.fetchall(
            f"SELECT thread_id, {_WRITE_COLUMNS} FROM conversation_writes WHERE thread_id IN ({marks}) "
            "ORDER BY thread_id, seq",
            tuple(threads),
        )
        found: dict[str, list[WriteRow]] = {}
        for thread, *values in rows:
            found.setdefault(thread, []).append(WriteRow(*values))
        return found
