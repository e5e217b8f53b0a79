"""The stored ledger on SQLite and Postgres: idempotent rows, the sweep, and agreement with the pure policy."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from accounting.billing import bill
from accounting.bookkeeping import policy_of, record, settle_brand
from accounting.ledger import Account, Entry, Ledger
from accounting.segments import ConversationEvent
from accounting.tables import SCHEMA
from brands import default_brands
from checkpoint.db import Database
from checkpoint.factory import Persistence, open_persistence

ACME = default_brands()["acme"]
GLOBEX = default_brands()["globex"]
STRICT = policy_of(ACME)
T0 = datetime(2026, 11, 10, 9, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


@pytest.fixture
async def ledger(database_url: str | None, tmp_path: Path) -> AsyncIterator[Ledger]:
    persistence: Persistence
    async with open_persistence(database_url, tmp_path, SCHEMA) as persistence:
        yield Ledger(persistence.db)


async def _play(ledger: Ledger, thread: str, events: list[tuple[str, ConversationEvent, datetime]]) -> None:
    for key, kind, at in events:
        await record(ledger, ACME, thread, thread.split(":")[1], [(key, kind)], at)


def _rows(entries) -> list[tuple[str, int, datetime]]:
    return [(e.key, e.amount_cents, e.at) for e in entries]


CLAWED_BACK = [
    ("turn:m1:customer_message", "customer_message", T0),
    ("turn:m1:ai_reply", "ai_reply", T0),
    ("event:e1", "closed", T0 + HOUR),
    ("event:e2", "human_reply", T0 + 5 * HOUR),
]


async def test_that_the_stored_ledger_writes_what_the_pure_policy_decides(ledger: Ledger) -> None:
    thread = "acme:c-clawed"
    await _play(ledger, thread, CLAWED_BACK)
    expected = bill([(kind, at) for _, kind, at in CLAWED_BACK], STRICT, T0 + 5 * HOUR)[1]
    assert (
        _rows(await ledger.entries(thread))
        == _rows(expected)
        == [
            ("charge:ai_only", 90, T0 + HOUR),
            ("credit:ai_only", -90, T0 + 5 * HOUR),
        ]
    )
    account = await ledger.account(thread)
    assert account is not None
    assert (account.ai_replied, account.human_replied, account.is_closed, account.pending) == (
        True,
        True,
        True,
        False,
    )


async def test_that_replaying_the_same_events_changes_nothing(ledger: Ledger) -> None:
    thread = "acme:c-replayed"
    await _play(ledger, thread, CLAWED_BACK)
    before = (await ledger.entries(thread), await ledger.account(thread), await ledger.events(thread))
    later = [(key, kind, at + 50 * HOUR) for key, kind, at in CLAWED_BACK]  # same keys, later clock
    await _play(ledger, thread, later)
    assert (await ledger.entries(thread), await ledger.account(thread), await ledger.events(thread)) == before
    assert sorted(k for k, _, _ in before[2]) == sorted(k for k, _, _ in CLAWED_BACK)


async def test_that_the_sweep_bills_a_quiet_conversation_once_after_the_window(ledger: Ledger) -> None:
    thread = "acme:c-quiet"
    await _play(ledger, thread, CLAWED_BACK[:2])
    assert await settle_brand(ledger, ACME, T0 + 71 * HOUR) == []
    written = await settle_brand(ledger, ACME, T0 + 73 * HOUR)
    assert _rows(written) == [("charge:ai_only", 90, T0 + 72 * HOUR)]
    assert await settle_brand(ledger, ACME, T0 + 200 * HOUR) == []
    assert await ledger.pending_accounts("acme", T0 + 200 * HOUR) == []


class HumanReplyMidSweep(Ledger):
    """A ledger on which a human reply lands between the sweep's decision and its write."""

    def __init__(self, db: Database, thread: str) -> None:
        super().__init__(db)
        self.thread, self.fired = thread, False

    async def add(self, a: Account, entry: Entry, recorded_at: datetime) -> bool:
        if not self.fired:
            self.fired = True  # another process, whose clock reads an hour behind the sweep's
            await record(
                Ledger(self.db), ACME, self.thread, "c-race", [("event:h", "human_reply")], T0 + 71 * HOUR
            )
        return await super().add(a, entry, recorded_at)


async def test_that_a_human_reply_racing_the_sweep_still_ends_credited(ledger: Ledger) -> None:
    thread = "acme:c-race"
    await _play(ledger, thread, CLAWED_BACK[:2])
    racing = HumanReplyMidSweep(ledger.db, thread)
    await settle_brand(racing, ACME, T0 + 72 * HOUR)
    assert [e.key for e in await ledger.entries(thread)] == ["charge:ai_only", "credit:ai_only"]
    assert sum(e.amount_cents for e in await ledger.entries(thread)) == 0


async def test_that_report_queries_hold_only_the_asking_brands_rows(ledger: Ledger) -> None:
    await _play(ledger, "acme:c-a", CLAWED_BACK[:3])
    await record(ledger, GLOBEX, "globex:c-g", "c-g", [("turn:m1:customer_message", "customer_message")], T0)
    await record(ledger, GLOBEX, "globex:c-g", "c-g", [("turn:m1:ai_reply", "ai_reply")], T0)
    await record(ledger, GLOBEX, "globex:c-g", "c-g", [("event:c", "closed")], T0)
    nov = (date(2026, 11, 1), date(2026, 11, 30))
    assert [(e.key, e.amount_cents) for e in await ledger.entries_between("acme", *nov)] == [
        ("charge:ai_only", 90)
    ]
    assert [(e.key, e.amount_cents) for e in await ledger.entries_between("globex", *nov)] == [
        ("charge:ai_only", 110)
    ]
    assert await ledger.participation_counts("acme", *nov) == [(True, False, False, False, 1)]
    assert await ledger.entries_between("acme", date(2026, 12, 1), date(2026, 12, 31)) == []


async def test_that_the_stored_ledger_writes_what_the_pure_policy_decides_about_a_handoff(
    ledger: Ledger,
) -> None:
    events = [
        ("turn:m1:customer_message", "customer_message", T0),
        ("turn:m1:ai_reply", "ai_reply", T0),
        ("event:e1", "closed", T0 + HOUR),
        ("turn:m2:customer_message", "customer_message", T0 + 2 * HOUR),
        ("turn:m2:handed_off", "handed_off", T0 + 2 * HOUR),
        ("event:e2", "closed", T0 + 3 * HOUR),
    ]
    thread = "acme:c-handed"
    await _play(ledger, thread, events)
    await _play(ledger, thread, [(key, kind, at + 100 * HOUR) for key, kind, at in events])  # a replay
    expected = bill([(kind, at) for _, kind, at in events], STRICT, T0 + 3 * HOUR)[1]
    stored = await ledger.entries(thread)
    assert (
        [(e.key, e.amount_cents, e.at, e.reason) for e in stored]
        == [(e.key, e.amount_cents, e.at, e.reason) for e in expected]
        == [
            ("charge:ai_only", 90, T0 + HOUR, "closed"),
            ("credit:ai_only", -90, T0 + 2 * HOUR, "handed off"),
        ]
    )
    account = await ledger.account(thread)
    assert account is not None
    assert (account.handed_off_at, account.is_closed, account.pending) == (T0 + 2 * HOUR, True, False)
    assert await settle_brand(ledger, ACME, T0 + 500 * HOUR) == []


async def test_that_unanswered_handoffs_are_the_brands_no_person_replied_to_and_open_ones_wait(
    ledger: Ledger,
) -> None:
    handed = [("turn:m1:customer_message", "customer_message"), ("turn:m1:handed_off", "handed_off")]
    for name, at, after in [
        ("waiting", T0 + 2 * HOUR, []),
        ("oldest", T0, [("event:b", "handed_back")]),  # handed back unanswered: still on the line
        ("answered", T0 - HOUR, [("event:h", "human_reply")]),
        ("closed", T0 - HOUR, [("event:c", "closed")]),
    ]:
        await record(ledger, ACME, f"acme:{name}", name, handed, at)
        await record(ledger, ACME, f"acme:{name}", name, after, at + HOUR)
    await record(ledger, GLOBEX, "globex:g", "g", handed, T0 - 5 * HOUR)
    await _play(ledger, "acme:never", CLAWED_BACK[:2])
    assert await ledger.unanswered_handoffs("acme") == (3, 2, T0)  # the closed one: unanswered, not waiting
    assert await ledger.unanswered_handoffs("globex") == (1, 1, T0 - 5 * HOUR)
    await record(
        ledger, ACME, "acme:closed", "closed", [("turn:m2:customer_message", "customer_message")], T0
    )
    assert await ledger.unanswered_handoffs("acme") == (3, 3, T0 - HOUR)  # the customer reopened it
    nov = (date(2026, 11, 1), date(2026, 11, 30))
    assert sorted(await ledger.participation_counts("acme", *nov)) == [
        (False, False, False, True, 3),
        (False, True, False, True, 1),
        (True, False, False, False, 1),
    ]
