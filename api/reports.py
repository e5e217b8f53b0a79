"""`GET /v1/reports/automation?from=&to=`: counts per segment, automation rate, charges and credits.

Tier one: the brand comes from the API key, and every query filters by it. Before reporting, the
brand's conversations that are closed or quiet past the inactivity window are settled (the sweep
is idempotent and dates each charge when it fell due, so when a report runs never changes its
figures). Segment counts cover conversations opened in the range; charges and credits cover
ledger entries that took effect in it (days in UTC, both ends included). `Accept: text/csv`
returns the same figures as a two-column CSV; `python -m api.report` prints the same table.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Header, HTTPException, Query
from fastapi.responses import Response

from api.accounting import policy_of, settle_brand
from api.deps import Brand, Svc
from api.schemas import AutomationReport, SegmentCounts, Tally, problems
from brands import BrandConfig
from checkpoint.ledger import Entry, Ledger
from nodes.segments import SEGMENTS, segment_of

router = APIRouter(tags=["reports"])

MAX_RANGE_DAYS = 366


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
    counts: Iterable[tuple[bool, bool, bool, int]],
    entries: Sequence[Entry],
) -> AutomationReport:
    """The report from participation counts and ledger entries (pure)."""
    per_segment = dict.fromkeys(SEGMENTS, 0)
    for ai, human, silent, n in counts:
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


@router.get(
    "/v1/reports/automation",
    response_model=AutomationReport,
    responses={
        200: {"content": {"text/csv": {}}},
        422: {"description": "a bad range, with the reason"},
        **problems(401),
    },
)
async def get_automation_report(
    brand: Brand,
    svc: Svc,
    start: Annotated[date, Query(alias="from", description="first day, ISO date (UTC)")],
    end: Annotated[date, Query(alias="to", description="last day, ISO date (UTC), included")],
    accept: Annotated[str | None, Header()] = None,
) -> AutomationReport | Response:
    """This brand's automation report; CSV when the client sends `Accept: text/csv`."""
    problem = range_problem(start, end)
    if problem:
        raise HTTPException(422, problem)
    report = await automation_report(svc.persistence.ledger, brand, start, end, svc.clock())
    if accept and "text/csv" in accept:
        filename = f"automation-{brand.brand_id}-{start}-{end}.csv"
        return Response(
            to_csv(report),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )
    return report
