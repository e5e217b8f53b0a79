"""The automation report: counts per segment, automation rate, charges and credits, for one brand.

Served by `GET /v1/reports/automation?from=&to=` and printed by `python -m accounting`. Tier one:
every query filters by the brand (the API's comes from its key). Before reporting, the
brand's conversations that are closed or quiet past the inactivity window are settled (the sweep
is idempotent and dates each charge when it fell due, so when a report runs never changes its
figures). Segment counts cover conversations opened in the range; charges and credits cover
ledger entries that took effect in it (days in UTC, both ends included). `to_csv` gives the same
figures as a two-column CSV (the endpoint's `Accept: text/csv`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from accounting.bookkeeping import policy_of, settle_brand
from accounting.ledger import Entry, FlagCount, Ledger
from accounting.segments import SEGMENTS, segment_of
from brands import BrandConfig

MAX_RANGE_DAYS = 366


class SegmentCounts(BaseModel):
    ai_only: int
    ai_and_human: int
    human_only: int
    ai_closed_no_reply: int
    nobody: int


class Tally(BaseModel):
    count: int
    amount: float
    """In the brand's currency, two decimals; credits are negative."""


class AutomationReport(BaseModel):
    """Counts per segment for conversations opened in the range; ledger figures for entries in it."""

    model_config = ConfigDict(populate_by_name=True)
    brand: str
    from_: date = Field(alias="from")
    to: date
    billing_mode: str
    price_per_automated_conversation: float
    conversations: int
    segments: SegmentCounts
    automation_rate: float
    """`ai_only` over conversations someone replied to (ai_only + ai_and_human + human_only)."""
    charges: Tally
    credits: Tally
    billable: Tally
    """Net: charges minus credits (a credit may cancel a charge from an earlier range)."""


def range_problem(start: date, end: date) -> str | None:
    """Why `from`..`to` is not a range a report can cover, or None."""
    if start > end:
        return f"from ({start}) is after to ({end})"
    if (end - start).days + 1 > MAX_RANGE_DAYS:
        return f"range of {(end - start).days + 1} days is longer than {MAX_RANGE_DAYS}"
    return None


def _tally(entries: Iterable[Entry]) -> Tally:
    listed = list(entries)
    return Tally(count=len(listed), amount=sum(e.amount_cents for e in listed) / 100)


def summarise(
    brand: BrandConfig,
    start: date,
    end: date,
    counts: Iterable[FlagCount],
    entries: Sequence[Entry],
) -> AutomationReport:
    """The report from participation counts and ledger entries (pure)."""
    per_segment = dict.fromkeys(SEGMENTS, 0)
    for ai, human, silent, _, n in counts:
        per_segment[segment_of({"ai_replied": ai, "human_replied": human, "ai_closed_no_reply": silent})] += n
    answered = per_segment["ai_only"] + per_segment["ai_and_human"] + per_segment["human_only"]
    charges = _tally(e for e in entries if e.kind == "charge")
    credits = _tally(e for e in entries if e.kind == "credit")
    return AutomationReport(
        brand=brand.brand_id,
        from_=start,
        to=end,
        billing_mode=brand.billing_mode,
        price_per_automated_conversation=policy_of(brand).price_cents / 100,
        conversations=sum(per_segment.values()),
        segments=SegmentCounts(**per_segment),
        automation_rate=round(per_segment["ai_only"] / answered, 4) if answered else 0.0,
        charges=charges,
        credits=credits,
        billable=Tally(count=charges.count - credits.count, amount=round(charges.amount + credits.amount, 2)),
    )


async def automation_report(
    ledger: Ledger, brand: BrandConfig, start: date, end: date, now: datetime
) -> AutomationReport:
    """Settle what fell due by `now`, then report on `start`..`end` for this brand only."""
    await settle_brand(ledger, brand, now)
    counts = await ledger.participation_counts(brand.brand_id, start, end)
    entries = await ledger.entries_between(brand.brand_id, start, end)
    return summarise(brand, start, end, counts, entries)


def report_rows(report: AutomationReport) -> list[tuple[str, str]]:
    """The report as (metric, value) rows: the CSV body and the CLI table."""
    money = [("charges", report.charges), ("credits", report.credits), ("billable", report.billable)]
    return [
        ("brand", report.brand),
        ("from", report.from_.isoformat()),
        ("to", report.to.isoformat()),
        ("billing_mode", report.billing_mode),
        ("price_per_automated_conversation", f"{report.price_per_automated_conversation:.2f}"),
        ("conversations", str(report.conversations)),
        *((name, str(n)) for name, n in report.segments.model_dump().items()),
        ("automation_rate", f"{report.automation_rate:.4f}"),
        *(
            row
            for name, t in money
            for row in ((f"{name}_count", str(t.count)), (f"{name}_amount", f"{t.amount:.2f}"))
        ),
    ]


def to_csv(report: AutomationReport) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("metric", "value"))
    writer.writerows(report_rows(report))
    return out.getvalue()
