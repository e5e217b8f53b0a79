"""`python -m service retention`: erase the conversations each brand keeps no longer than its
`retention_days` (brand file; brands without it are skipped).

Runs against the database the service uses (`DATABASE_URL`, else SQLite under `$DATA_DIR`), for the
brands the settings serve; each conversation is erased while holding the database's lock on it, the
one a turn takes on PostgreSQL, so it can run beside the service (on SQLite, which is one process by
design, run it while the service is stopped). Prints one JSON line per brand with what it erased;
`--now` (ISO datetime) measures the age from another moment. Schedule it daily (cron,
a Kubernetes CronJob): `make retention`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Sequence
from datetime import UTC, datetime

from accounting.costs import CostLedger
from accounting.tables import SCHEMA
from checkpoint.factory import open_persistence
from config.settings import Settings, get_settings
from service.erasure import apply_retention


def _moment(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"--now {text!r} is not an ISO datetime") from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m service", description="service maintenance commands")
    commands = p.add_subparsers(dest="command", required=True)
    retention = commands.add_parser(
        "retention", help="erase conversations older than each brand's retention_days"
    )
    retention.add_argument("--now", type=_moment, default=None, help="measure ages from this ISO datetime")
    return p


async def run_retention(settings: Settings, now: datetime) -> list[str]:
    """Apply every brand's retention; one JSON line per brand that sets `retention_days`."""
    brands = settings.brands()
    async with open_persistence(settings.database_url, settings.data_dir, SCHEMA) as persistence:
        costs = CostLedger(persistence.db)
        done = await apply_retention(persistence, costs, brands, now, persistence.thread_lock)
    return [json.dumps({"brand_id": brand, **erased.model_dump()}) for brand, erased in done.items()]


def main(argv: Sequence[str] | None = None, settings: Settings | None = None) -> int:
    args = parser().parse_args(argv)
    lines = asyncio.run(run_retention(settings or get_settings(), args.now or datetime.now(UTC)))
    sys.stdout.write("".join(f"{line}\n" for line in lines))
    return 0
