"""The billing ledger, outside the checkpoints: accounting events, accounts and ledger entries.

Invariant guarded here (7, honest accounting; 6, tier one): every row names its brand; every
write is idempotent by a unique key, so replaying events or settling twice changes nothing.

- `billing_events`  (thread_id, event_key) — each accounting event once (`turn:<message_id>:<kind>`,
  `event:<event_id>`); the audit trail an account can be rebuilt from.
- `billing_accounts` (thread_id) — the folded state of one conversation: who took part, open or
  closed, last activity, when something was first handed off (`handed_off_at`, null if never),
  and whether a charge may still fall due (`pending`, for the sweep).
- `billing_ledger`  (thread_id, entry_key) — one row per billable decision: `charge:<segment>`
  (positive) or `credit:<segment>` (the claw-back of that charge, negative), in integer cents.

The decisions themselves are pure (`accounting/billing.py`); this module only stores them.

Upgrades: `handed_off_at` came after the first release of `billing_accounts`; `add_handed_off_at`
adds it to a table created without it (null: the old code recorded no handoff, so none is known).
"""

from __future__ import annotations

import copy
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Literal, NamedTuple

from checkpoint.db import Database, SchemaStep


async def add_handed_off_at(db: Database) -> None:
    """Add `billing_accounts.handed_off_at` to a table an older version created without it."""
    if db.dialect == "postgres":
        await db.execute("ALTER TABLE billing_accounts ADD COLUMN IF NOT EXISTS handed_off_at TEXT")
        return
    columns = {row[1] for row in await db.fetchall("PRAGMA table_info(billing_accounts)")}
    if "handed_off_at" not in columns:
        await db.execute("ALTER TABLE billing_accounts ADD COLUMN handed_off_at TEXT")


SCHEMA: tuple[SchemaStep, ...] = (
    """CREATE TABLE IF NOT EXISTS billing_events (
        thread_id TEXT NOT NULL, event_key TEXT NOT NULL, brand_id TEXT NOT NULL,
        kind TEXT NOT NULL, at TEXT NOT NULL,
        PRIMARY KEY (thread_id, event_key))""",
    """CREATE TABLE IF NOT EXISTS billing_accounts (
        thread_id TEXT PRIMARY KEY, brand_id TEXT NOT NULL, conversation_id TEXT NOT NULL,
        ai_replied INTEGER NOT NULL, human_replied INTEGER NOT NULL, ai_closed_no_reply INTEGER NOT NULL,
        is_closed INTEGER NOT NULL, opened_at TEXT NOT NULL, last_activity_at TEXT NOT NULL,
        closed_at TEXT, pending INTEGER NOT NULL, handed_off_at TEXT)""",
    add_handed_off_at,
    "CREATE INDEX IF NOT EXISTS billing_accounts_brand_opened ON billing_accounts (brand_id, opened_at)",
    "CREATE INDEX IF NOT EXISTS billing_accounts_brand_pending ON billing_accounts (brand_id, pending)",
    "CREATE INDEX IF NOT EXISTS billing_accounts_brand_handed_off ON billing_accounts (brand_id, handed_off_at)",
    """CREATE TABLE IF NOT EXISTS billing_ledger (
        thread_id TEXT NOT NULL, entry_key TEXT NOT NULL, brand_id TEXT NOT NULL,
        conversation_id TEXT NOT NULL, kind TEXT NOT NULL, segment TEXT NOT NULL, mode TEXT NOT NULL,
        amount_cents INTEGER NOT NULL, reason TEXT NOT NULL, at TEXT NOT NULL, recorded_at TEXT NOT NULL,
        PRIMARY KEY (thread_id, entry_key))""",
    "CREATE INDEX IF NOT EXISTS billing_ledger_brand_at ON billing_ledger (brand_id, at)",
)

EntryKind = Literal["charge", "credit"]


class FlagCount(NamedTuple):
    """How many conversations have one combination of participation flags (the report's input)."""

    ai_replied: bool
    human_replied: bool
    ai_closed_no_reply: bool
    handed_off: bool
    conversations: int


@dataclass(frozen=True)
class Account:
    """One conversation as the ledger sees it (the fold of its accounting events)."""

    thread_id: str = ""
    brand_id: str = ""
    conversation_id: str = ""
    ai_replied: bool = False
    human_replied: bool = False
    ai_closed_no_reply: bool = False
    is_closed: bool = False
    opened_at: datetime | None = None
    last_activity_at: datetime | None = None
    closed_at: datetime | None = None
    """When the current close began; None while the conversation is open."""
    pending: bool = False
    """A charge may still fall due (by close or inactivity); the sweep looks only at these."""
    handed_off_at: datetime | None = None
    """When something was first handed off to a person; None if never (the `handed_off` flag)."""

    @property
    def handed_off(self) -> bool:
        return self.handed_off_at is not None


@dataclass(frozen=True)
class Entry:
    """One billable decision: a charge for a segment, or the credit that cancels it."""

    key: str
    kind: EntryKind
    segment: str
    amount_cents: int
    at: datetime
    """When the decision took effect: the close, the end of the inactivity window, the human reply."""
    reason: str
    mode: str


def iso(moment: datetime) -> str:
    """A UTC timestamp whose text order is its time order (stored as TEXT in both dialects)."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _time(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def day_start(day: date) -> str:
    return iso(datetime(day.year, day.month, day.day, tzinfo=UTC))


_ACCOUNT_COLUMNS = (
    "thread_id, brand_id, conversation_id, ai_replied, human_replied, ai_closed_no_reply, "
    "is_closed, opened_at, last_activity_at, closed_at, pending, handed_off_at"
)
_ENTRY_COLUMNS = "entry_key, kind, segment, amount_cents, at, reason, mode"


def _account(row: Sequence[Any]) -> Account:
    thread, brand, conversation, ai, human, silent, closed, opened, last, closed_at, pending, handed = row
    return Account(
        thread, brand, conversation, bool(ai), bool(human), bool(silent), bool(closed),
        _time(opened), _time(last), _time(closed_at), bool(pending), _time(handed),
    )  # fmt: skip


def _entry(row: Sequence[Any]) -> Entry:
    key, kind, segment, cents, at, reason, mode = row
    return Entry(key, kind, segment, int(cents), datetime.fromisoformat(at), reason, mode)


class Ledger:
    def __init__(self, db: Database) -> None:
        self.db = db

    @asynccontextmanager
    async def batch(self) -> AsyncIterator[Ledger]:
        """This ledger (a copy, subclass kept) whose writes are committed together at the block's end."""
        async with self.db.batch() as db:
            batched = copy.copy(self)
            batched.db = db
            yield batched

    async def seen(self, thread: str, event_key: str) -> bool:
        rows = await self.db.fetchall(
            "SELECT 1 FROM billing_events WHERE thread_id = ? AND event_key = ?", (thread, event_key)
        )
        return bool(rows)

    async def log(self, thread: str, brand: str, event_key: str, kind: str, at: datetime) -> bool:
        """Record an accounting event once; False when it was already recorded."""
        return bool(
            await self.db.execute(
                "INSERT INTO billing_events (thread_id, event_key, brand_id, kind, at) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (thread_id, event_key) DO NOTHING",
                (thread, event_key, brand, kind, iso(at)),
            )
        )

    async def events(self, thread: str) -> list[tuple[str, str, datetime]]:
        rows = await self.db.fetchall(
            "SELECT event_key, kind, at FROM billing_events WHERE thread_id = ? ORDER BY at, event_key",
            (thread,),
        )
        return [(key, kind, datetime.fromisoformat(at)) for key, kind, at in rows]

    async def account(self, thread: str) -> Account | None:
        rows = await self.db.fetchall(
            f"SELECT {_ACCOUNT_COLUMNS} FROM billing_accounts WHERE thread_id = ?", (thread,)
        )
        return _account(rows[0]) if rows else None

    async def save(self, a: Account) -> None:
        if a.opened_at is None or a.last_activity_at is None:
            raise ValueError(f"account {a.thread_id!r} has no activity to save")
        values = (
            a.thread_id, a.brand_id, a.conversation_id, int(a.ai_replied), int(a.human_replied),
            int(a.ai_closed_no_reply), int(a.is_closed), iso(a.opened_at), iso(a.last_activity_at),
            iso(a.closed_at) if a.closed_at else None, int(a.pending),
            iso(a.handed_off_at) if a.handed_off_at else None,
        )  # fmt: skip
        await self.db.execute(
            f"INSERT INTO billing_accounts ({_ACCOUNT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (thread_id) DO UPDATE SET ai_replied = excluded.ai_replied, "
            "human_replied = excluded.human_replied, ai_closed_no_reply = excluded.ai_closed_no_reply, "
            "is_closed = excluded.is_closed, last_activity_at = excluded.last_activity_at, "
            "closed_at = excluded.closed_at, pending = excluded.pending, "
            "handed_off_at = excluded.handed_off_at",
            values,
        )

    async def mark_pending(self, a: Account, pending: bool) -> None:
        """Set `pending` unless a newer event changed the account meanwhile (the sweep takes no lock)."""
        if a.last_activity_at is None:
            return
        await self.db.execute(
            "UPDATE billing_accounts SET pending = ? WHERE thread_id = ? AND last_activity_at = ?",
            (int(pending), a.thread_id, iso(a.last_activity_at)),
        )

    async def entries(self, thread: str) -> list[Entry]:
        rows = await self.db.fetchall(
            f"SELECT {_ENTRY_COLUMNS} FROM billing_ledger WHERE thread_id = ? ORDER BY at, entry_key",
            (thread,),
        )
        return [_entry(r) for r in rows]

    async def add(self, a: Account, entry: Entry, recorded_at: datetime) -> bool:
        """Write one decision once; False when its key was already booked."""
        values = (
            a.thread_id, a.brand_id, a.conversation_id, entry.key, entry.kind, entry.segment,
            entry.amount_cents, iso(entry.at), entry.reason, entry.mode, iso(recorded_at),
        )  # fmt: skip
        inserted = await self.db.execute(
            f"INSERT INTO billing_ledger (thread_id, brand_id, conversation_id, {_ENTRY_COLUMNS}, recorded_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (thread_id, entry_key) DO NOTHING",
            values,
        )
        return bool(inserted)

    async def pending_accounts(self, brand: str, inactive_since: datetime) -> list[Account]:
        """This brand's accounts a charge may now fall due on: closed, or quiet since the cut-off."""
        rows = await self.db.fetchall(
            f"SELECT {_ACCOUNT_COLUMNS} FROM billing_accounts WHERE brand_id = ? AND pending = 1 "
            "AND (is_closed = 1 OR last_activity_at <= ?) ORDER BY thread_id",
            (brand, iso(inactive_since)),
        )
        return [_account(r) for r in rows]

    async def participation_counts(self, brand: str, start: date, end: date) -> list[FlagCount]:
        """How many conversations opened on days `start`..`end` (inclusive, UTC) have each set of flags."""
        rows = await self.db.fetchall(
            "SELECT ai_replied, human_replied, ai_closed_no_reply, "
            "CASE WHEN handed_off_at IS NULL THEN 0 ELSE 1 END, COUNT(*) FROM billing_accounts "
            "WHERE brand_id = ? AND opened_at >= ? AND opened_at < ? GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4",
            (brand, day_start(start), _day_after(end)),
        )
        return [FlagCount(bool(a), bool(h), bool(s), bool(o), int(n)) for a, h, s, o, n in rows]

    async def unanswered_handoffs(self, brand: str) -> tuple[int, int, datetime | None]:
        """This brand's conversations with a handoff no person replied to (any opening date): how
        many in all (closed ones too: a handoff closed unanswered was never answered), how many are
        still open, and the earliest first handoff among the open ones (the longest wait)."""
        rows = await self.db.fetchall(
            "SELECT COUNT(*), COALESCE(SUM(CASE WHEN is_closed = 0 THEN 1 ELSE 0 END), 0), "
            "MIN(CASE WHEN is_closed = 0 THEN handed_off_at END) FROM billing_accounts WHERE brand_id = ? "
            "AND handed_off_at IS NOT NULL AND human_replied = 0",
            (brand,),
        )
        count, still_open, oldest = rows[0]
        return int(count), int(still_open), _time(oldest)

    async def entries_between(self, brand: str, start: date, end: date) -> list[Entry]:
        """This brand's ledger entries that took effect on days `start`..`end` (inclusive, UTC)."""
        rows = await self.db.fetchall(
            f"SELECT {_ENTRY_COLUMNS} FROM billing_ledger WHERE brand_id = ? AND at >= ? AND at < ? "
            "ORDER BY at, thread_id, entry_key",
            (brand, day_start(start), _day_after(end)),
        )
        return [_entry(r) for r in rows]


def _day_after(day: date) -> str:
    return iso(datetime.fromordinal(day.toordinal() + 1).replace(tzinfo=UTC))
