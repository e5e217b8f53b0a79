"""The per-brand cost ledger of tracking lookups, on SQLite and on PostgreSQL."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import psycopg
import pytest

from accounting.costs import CostLedger, to_micros
from accounting.tables import SCHEMA
from checkpoint.factory import open_persistence

T0 = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "postgres"])
async def ledger(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[CostLedger]:
    url = request.getfixturevalue("postgres_url") if request.param == "postgres" else None
    ticks = iter(T0 + timedelta(seconds=i) for i in range(100))
    async with AsyncExitStack() as stack:
        persistence = await stack.enter_async_context(open_persistence(url, tmp_path, SCHEMA))
        await persistence.db.execute("DELETE FROM carrier_lookups")  # the Postgres database is per session
        yield CostLedger(persistence.db, clock=lambda: next(ticks))


async def record(ledger: CostLedger, lookup_id: str, brand: str = "acme", **fields: object) -> None:
    row = {"brand_id": brand, "thread_id": f"{brand}:c1", "carrier": "ups", "via": "native",
           "tracking_number": "1Z999AA10123456784", "outcome": "found", "cost": Decimal("0.002"), "currency": "USD"}  # fmt: skip
    await ledger.record_lookup(lookup_id=lookup_id, **{**row, **fields})  # type: ignore[arg-type]


async def test_that_a_lookup_row_reads_back_exactly_and_a_repeat_of_its_id_adds_nothing(
    ledger: CostLedger,
) -> None:
    await record(ledger, "l1")
    await record(ledger, "l1", cost=Decimal("9"))
    [row] = await ledger.rows("acme")
    assert (row.lookup_id, row.brand_id, row.thread_id, row.carrier, row.via, row.outcome, row.cost, row.currency, row.created_at) == (
        "l1", "acme", "acme:c1", "ups", "native", "found", Decimal("0.002"), "USD", "2026-11-25T12:00:00.000+00:00",
    )  # fmt: skip


async def test_that_rows_and_totals_belong_to_one_brand(ledger: CostLedger) -> None:
    await record(ledger, "a1")
    await record(
        ledger, "a2", carrier="royal_mail", via="aggregator", cost=Decimal("0.04"), thread_id="acme:c2"
    )
    await record(ledger, "a3", carrier="royal_mail", via="aggregator", cost=Decimal("0.04"))
    await record(ledger, "g1", brand="globex", carrier="royal_mail", via="aggregator", cost=Decimal("0.05"))
    assert [r.lookup_id for r in await ledger.rows("acme")] == ["a1", "a2", "a3"]
    assert [r.lookup_id for r in await ledger.rows("acme", "acme:c2")] == ["a2"]
    assert [r.lookup_id for r in await ledger.rows("globex")] == ["g1"]
    assert await ledger.totals("acme", "2026-11-25", "2026-11-26") == {
        ("royal_mail", "aggregator"): (2, Decimal("0.08")),
        ("ups", "native"): (1, Decimal("0.002")),
    }


async def test_that_a_via_other_than_native_or_aggregator_is_refused_by_the_table(ledger: CostLedger) -> None:
    with pytest.raises((sqlite3.IntegrityError, psycopg.errors.CheckViolation)):
        await record(ledger, "x1", via="carrier-pigeon")


def test_that_costs_are_kept_as_exact_millionths() -> None:
    assert to_micros(Decimal("0.04")) == 40_000
    assert to_micros(Decimal("1.000001")) == 1_000_001
    with pytest.raises(ValueError, match="more than 6 decimal places"):
        to_micros(Decimal("0.0000001"))
