"""The per-brand cost ledger: one row per tracking lookup and one per model call, SQLite or PostgreSQL.

Invariants guarded here: honest accounting (every lookup the tools make is one row, written with
its brand, thread, carrier, native or aggregator, outcome and cost; every model call that answered
is one row with its brand, thread, workflow, the tokens the endpoint's `usage` reported and their
cost at the brand's `model_price`; a row is keyed by its id, so writing it twice keeps one) and
tier one (every read is for one brand).

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
    """CREATE TABLE IF NOT EXISTS model_calls (
        call_id TEXT PRIMARY KEY, brand_id TEXT NOT NULL, thread_id TEXT NOT NULL,
        workflow TEXT NOT NULL, model TEXT NOT NULL,
        input_tokens BIGINT NOT NULL CHECK (input_tokens >= 0),
        output_tokens BIGINT NOT NULL CHECK (output_tokens >= 0),
        cost_micros BIGINT NOT NULL CHECK (cost_micros >= 0), currency TEXT NOT NULL,
        created_at TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS model_calls_brand_time ON model_calls (brand_id, created_at)",
)
MODEL_COLUMNS = "call_id, brand_id, thread_id, workflow, model, input_tokens, output_tokens, cost_micros, currency, created_at"
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


@dataclass(frozen=True)
class ModelCallCost:
    """One model call's row."""

    call_id: str
    brand_id: str
    thread_id: str
    workflow: str
    model: str
    input_tokens: int
    output_tokens: int
    cost: Decimal
    currency: str
    created_at: str


@dataclass(frozen=True)
class Spent:
    """What one kind of cost came to for a brand in a range, in one currency."""

    kind: str
    """`model` or `carrier`."""
    currency: str
    count: int
    """Model calls or lookups."""
    amount: Decimal
    input_tokens: int = 0
    output_tokens: int = 0


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

    async def record_model_call(
        self, *, call_id: str, brand_id: str, thread_id: str, workflow: str, model: str,
        input_tokens: int, output_tokens: int, cost: Decimal, currency: str,
    ) -> None:  # fmt: skip
        """Write one model call's row; the same `call_id` again changes nothing."""
        await self.db.execute(
            f"INSERT INTO model_calls ({MODEL_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (call_id) DO NOTHING",
            (
                call_id, brand_id, thread_id, workflow, model, input_tokens, output_tokens,
                to_micros(cost), currency, self.clock().isoformat(timespec="milliseconds"),
            ),
        )  # fmt: skip

    async def model_rows(self, brand_id: str, thread_id: str | None = None) -> list[ModelCallCost]:
        """The brand's model calls (one thread's if given), oldest first."""
        where, params = "brand_id = ?", [brand_id]
        if thread_id is not None:
            where, params = f"{where} AND thread_id = ?", [*params, thread_id]
        found = await self.db.fetchall(
            f"SELECT {MODEL_COLUMNS} FROM model_calls WHERE {where} ORDER BY created_at, call_id", params
        )
        return [
            ModelCallCost(cid, brand, thread, wf, model, int(i), int(o), Decimal(int(m)) / MICROS, cur, at)
            for cid, brand, thread, wf, model, i, o, m, cur, at in found
        ]

    async def spent(self, brand_id: str, since: str, until: str) -> list[Spent]:
        """Model calls and lookups, their tokens and cost per currency, for the brand in `[since, until)`.

        Every column is named: PostgreSQL rows come back keyed by column name."""
        range_ = (brand_id, since, until)
        models = await self.db.fetchall(
            "SELECT currency, COUNT(*) AS n, SUM(input_tokens) AS i, SUM(output_tokens) AS o, SUM(cost_micros) AS m "
            "FROM model_calls "
            "WHERE brand_id = ? AND created_at >= ? AND created_at < ? GROUP BY currency ORDER BY currency",
            range_,
        )
        lookups = await self.db.fetchall(
            "SELECT currency, COUNT(*) AS n, SUM(cost_micros) AS m FROM carrier_lookups "
            "WHERE brand_id = ? AND created_at >= ? AND created_at < ? GROUP BY currency ORDER BY currency",
            range_,
        )
        return [
            *(
                Spent("model", cur, int(n), Decimal(int(m)) / MICROS, int(i), int(o))
                for cur, n, i, o, m in models
            ),
            *(Spent("carrier", cur, int(n), Decimal(int(m)) / MICROS) for cur, n, m in lookups),
        ]
