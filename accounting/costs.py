"""The per-brand cost ledger of tracking lookups: one row per lookup, SQLite or PostgreSQL.

Invariants guarded here: honest accounting (every lookup the tools make is one row, written with
its brand, thread, carrier, native or aggregator, outcome and cost; a row is keyed by its
`lookup_id`, so writing it twice keeps one) and tier one (every read is for one brand).

Costs are stored exactly as integer millionths of the row's currency (`cost_micros`): SQLite has no
decimal type and sums of floats drift.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from checkpoint.db import Database

MICROS = Decimal(1_000_000)
SCHEMA = (
    """CREATE TABLE IF NOT EXISTS carrier_lookups (
        lookup_id TEXT PRIMARY KEY, brand_id TEXT NOT NULL, thread_id TEXT NOT NULL,
        carrier TEXT NOT NULL, via TEXT NOT NULL CHECK (via IN ('native', 'aggregator')),
        tracking_number TEXT NOT NULL, outcome TEXT NOT NULL,
        cost_micros BIGINT NOT NULL CHECK (cost_micros >= 0), currency TEXT NOT NULL,
        created_at TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS carrier_lookups_brand_time ON carrier_lookups (brand_id, created_at)",
)
COLUMNS = "lookup_id, brand_id, thread_id, carrier, via, tracking_number, outcome, cost_micros, currency, created_at"


@dataclass(frozen=True)
class LookupCost:
    """One ledger row."""

    lookup_id: str
    brand_id: str
    thread_id: str
    carrier: str
    via: str
    tracking_number: str
    outcome: str
    cost: Decimal
    currency: str
    created_at: str


def utc_now() -> datetime:
    return datetime.now(UTC)


def to_micros(amount: Decimal) -> int:
    micros = (amount * MICROS).to_integral_value()
    if micros != amount * MICROS:
        raise ValueError(f"cost {amount} has more than 6 decimal places")
    return int(micros)


class CostLedger:
    def __init__(self, db: Database, clock: Callable[[], datetime] = utc_now) -> None:
        self.db = db
        self.clock = clock

    async def setup(self) -> None:
        for statement in SCHEMA:
            await self.db.execute(statement)

    async def record_lookup(
        self, *, lookup_id: str, brand_id: str, thread_id: str, carrier: str, via: str,
        tracking_number: str, outcome: str, cost: Decimal, currency: str,
    ) -> None:  # fmt: skip
        """Write one lookup's row; the same `lookup_id` again changes nothing."""
        await self.db.execute(
            f"INSERT INTO carrier_lookups ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (lookup_id) DO NOTHING",
            (
                lookup_id, brand_id, thread_id, carrier, via, tracking_number, outcome,
                to_micros(cost), currency, self.clock().isoformat(timespec="milliseconds"),
            ),
        )  # fmt: skip

    async def forget_tracking(self, thread_id: str) -> int:
        """Blank the tracking numbers of a thread's lookups (erasure: a parcel points at a person), keeping
        every row, its carrier and its cost; how many were blanked."""
        blanked = await self.db.execute(
            "UPDATE carrier_lookups SET tracking_number = '' WHERE thread_id = ? AND tracking_number <> ''",
            (thread_id,),
        )
        return max(blanked, 0)

    async def rows(self, brand_id: str, thread_id: str | None = None) -> list[LookupCost]:
        """The brand's rows (one thread's if given), oldest first."""
        where, params = "brand_id = ?", [brand_id]
        if thread_id is not None:
            where, params = f"{where} AND thread_id = ?", [*params, thread_id]
        found = await self.db.fetchall(
            f"SELECT {COLUMNS} FROM carrier_lookups WHERE {where} ORDER BY created_at, lookup_id", params
        )
        return [
            LookupCost(
                lid, brand, thread, carrier, via, number, outcome, Decimal(micros) / MICROS, currency, at
            )
            for lid, brand, thread, carrier, via, number, outcome, micros, currency, at in found
        ]

    async def totals(
        self, brand_id: str, since: str, until: str
    ) -> dict[tuple[str, str], tuple[int, Decimal]]:
        """Lookups and cost per (carrier, via) for the brand in `[since, until)` (ISO times)."""
        found = await self.db.fetchall(
            "SELECT carrier, via, COUNT(*), SUM(cost_micros) FROM carrier_lookups "
            "WHERE brand_id = ? AND created_at >= ? AND created_at < ? GROUP BY carrier, via ORDER BY carrier, via",
            (brand_id, since, until),
        )
        return {
            (carrier, via): (int(count), Decimal(int(micros)) / MICROS)
            for carrier, via, count, micros in found
        }
