"""The ledger on a database an older version wrote: `billing_accounts` gains `handed_off_at`.

`OLD_LEDGER` is the ledger's DDL as released before handoffs were tracked (accounting/ledger.py at
c2f4ae0), kept here verbatim and never edited: the upgrade must read what that code wrote.
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

from accounting.bookkeeping import record
from accounting.ledger import Account, Ledger
from accounting.tables import SCHEMA
from brands import default_brands
from checkpoint.factory import open_persistence

ACME = default_brands()["acme"]
T0 = datetime(2026, 11, 10, 9, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)
UPGRADE_FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "upgrade" / "before_wave2" / "data"

OLD_LEDGER = (
    """CREATE TABLE IF NOT EXISTS billing_events (
        thread_id TEXT NOT NULL, event_key TEXT NOT NULL, brand_id TEXT NOT NULL,
        kind TEXT NOT NULL, at TEXT NOT NULL,
        PRIMARY KEY (thread_id, event_key))""",
    """CREATE TABLE IF NOT EXISTS billing_accounts (
        thread_id TEXT PRIMARY KEY, brand_id TEXT NOT NULL, conversation_id TEXT NOT NULL,
        ai_replied INTEGER NOT NULL, human_replied INTEGER NOT NULL, ai_closed_no_reply INTEGER NOT NULL,
        is_closed INTEGER NOT NULL, opened_at TEXT NOT NULL, last_activity_at TEXT NOT NULL,
        closed_at TEXT, pending INTEGER NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS billing_accounts_brand_opened ON billing_accounts (brand_id, opened_at)",
    "CREATE INDEX IF NOT EXISTS billing_accounts_brand_pending ON billing_accounts (brand_id, pending)",
    """CREATE TABLE IF NOT EXISTS billing_ledger (
        thread_id TEXT NOT NULL, entry_key TEXT NOT NULL, brand_id TEXT NOT NULL,
        conversation_id TEXT NOT NULL, kind TEXT NOT NULL, segment TEXT NOT NULL, mode TEXT NOT NULL,
        amount_cents INTEGER NOT NULL, reason TEXT NOT NULL, at TEXT NOT NULL, recorded_at TEXT NOT NULL,
        PRIMARY KEY (thread_id, entry_key))""",
    "CREATE INDEX IF NOT EXISTS billing_ledger_brand_at ON billing_ledger (brand_id, at)",
)
OLD_ACCOUNT = (
    "INSERT INTO billing_accounts (thread_id, brand_id, conversation_id, ai_replied, human_replied, "
    "ai_closed_no_reply, is_closed, opened_at, last_activity_at, closed_at, pending) "
    "VALUES ('acme:c-old', 'acme', 'c-old', 1, 0, 0, 0, ?, ?, NULL, 1)"
)


async def _columns(ledger: Ledger) -> list[str]:
    if ledger.db.dialect == "postgres":
        rows = await ledger.db.fetchall(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'billing_accounts' "
            "ORDER BY ordinal_position"
        )
        return [r[0] for r in rows]
    return [r[1] for r in await ledger.db.fetchall("PRAGMA table_info(billing_accounts)")]


async def test_that_a_ledger_created_by_the_old_ddl_gains_handed_off_at_and_keeps_its_accounts(
    empty_database_url: str | None, tmp_path: Path
) -> None:
    opened = T0.isoformat(timespec="microseconds")
    async with open_persistence(empty_database_url, tmp_path, OLD_LEDGER) as old:
        await old.db.execute(OLD_ACCOUNT, (opened, opened))
        assert "handed_off_at" not in await _columns(Ledger(old.db))
    async with open_persistence(empty_database_url, tmp_path, SCHEMA) as upgraded:
        ledger = Ledger(upgraded.db)
        assert (await _columns(ledger))[-1] == "handed_off_at"
        assert await ledger.account("acme:c-old") == Account(
            "acme:c-old", "acme", "c-old", True, False, False, False, T0, T0, None, True, None
        )
        assert await ledger.unanswered_handoffs("acme") == (0, 0, None)
        await record(ledger, ACME, "acme:c-old", "c-old", [("turn:m2:handed_off", "handed_off")], T0 + HOUR)
    async with open_persistence(empty_database_url, tmp_path, SCHEMA) as again:  # the upgrade runs again
        ledger = Ledger(again.db)
        assert (await _columns(ledger)).count("handed_off_at") == 1
        account = await ledger.account("acme:c-old")
        assert account is not None and (account.handed_off_at, account.pending) == (T0 + HOUR, False)
        assert await ledger.unanswered_handoffs("acme") == (1, 1, T0 + HOUR)


async def test_that_the_sqlite_file_written_before_wave_2_opens_and_bills_as_before(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(UPGRADE_FIXTURE, data)
    async with open_persistence(None, data, SCHEMA) as persistence:
        ledger = Ledger(persistence.db)
        assert (await _columns(ledger))[-1] == "handed_off_at"
        rows = await ledger.db.fetchall("SELECT thread_id FROM billing_accounts ORDER BY thread_id")
        accounts = [await ledger.account(thread) for (thread,) in rows]
        assert [(a.thread_id, a.ai_replied, a.handed_off_at) for a in accounts if a] == [
            ("acme:upgrade-cancel", True, None),
            ("acme:upgrade-refund", True, None),
        ]
