"""`python -m accounting --brand acme --month 2026-11`: the automation report for one brand and month.

Prints the same figures as `GET /v1/reports/automation` (a table by default, `--format csv|json`),
against the database the service uses (`DATABASE_URL`, else SQLite under `$DATA_DIR`). It settles
what fell due first, exactly as the endpoint does; `--now` pins the settling time (ISO datetime)
and the moment the unanswered handoffs' age is measured at. Without `--month`, the month of now.
"""

from __future__ import annotations

import argparse
import asyncio
import calendar
import json
import sys
from collections.abc import Sequence
from datetime import UTC, date, datetime

from accounting.costs import CostLedger
from accounting.ledger import Ledger
from accounting.report import automation_report, month_of, report_rows, to_csv
from accounting.tables import SCHEMA
from checkpoint.factory import open_persistence
from config.settings import Settings, get_settings


def month_range(month: str) -> tuple[date, date]:
    """`2026-11` -> (2026-11-01, 2026-11-30)."""
    try:
        first = datetime.strptime(month, "%Y-%m").date()
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"month {month!r} is not YYYY-MM") from exc
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def _moment(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"--now {text!r} is not an ISO datetime") from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m accounting", description=__doc__.splitlines()[0])
    p.add_argument("--brand", required=True, help="brand id, e.g. acme")
    p.add_argument("--month", type=month_range, default=None, help="YYYY-MM (UTC; default: this month)")
    p.add_argument("--format", choices=("table", "csv", "json"), default="table")
    p.add_argument("--now", type=_moment, default=None, help="settle as of this ISO datetime (default: now)")
    return p


def render_table(rows: Sequence[tuple[str, str]]) -> str:
    width = max(len(metric) for metric, _ in rows)
    return "\n".join(f"{metric:<{width}}  {value:>10}" for metric, value in rows) + "\n"


async def run(args: argparse.Namespace, settings: Settings) -> str:
    brands = settings.brands()
    brand = brands.get(args.brand)
    if brand is None:
        raise SystemExit(f"unknown brand {args.brand!r}; known: {', '.join(sorted(brands))}")
    now = args.now or datetime.now(UTC)
    start, end = args.month or month_of(now)
    async with open_persistence(settings.database_url, settings.data_dir, SCHEMA) as persistence:
        ledger = Ledger(persistence.db)
        report = await automation_report(ledger, brand, start, end, now, CostLedger(persistence.db))
    if args.format == "json":
        return json.dumps(report.model_dump(mode="json", by_alias=True), indent=2) + "\n"
    if args.format == "csv":
        return to_csv(report)
    return render_table(report_rows(report))


def main(argv: Sequence[str] | None = None, settings: Settings | None = None) -> int:
    args = parser().parse_args(argv)
    sys.stdout.write(asyncio.run(run(args, settings or get_settings())))
    return 0
