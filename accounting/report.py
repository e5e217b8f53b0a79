"""The automation report: counts per segment, automation rate, charges and credits, for one brand.

Served by `GET /v1/reports/automation?from=&to=` and printed by `python -m accounting`. Tier one:
every query filters by the brand (the API's comes from its key). Before reporting, the
brand's conversations that are closed or quiet past the inactivity window are settled (the sweep
is idempotent and dates each charge when it fell due, so when a report runs never changes its
figures). Segment counts cover conversations opened in the range; charges and credits cover
ledger entries that took effect in it (days in UTC, both ends included). `to_csv` gives the same
figures as a two-column CSV (the endpoint's `Accept: text/csv`).

Invariant 9: a conversation with a handoff no person answered is never automated (not in
`automated`, the rate's numerator) and never billed. The unanswered-handoff line is the one
figure not bound to the range: the brand's open conversations waiting for a person, as of now.
"""

from __future__ import annotations

import calendar
import csv
import io
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta

from pydantic import BaseModel, ConfigDict, Field

from accounting.bookkeeping import policy_of, settle_brand
from accounting.cost_report import Costs, summarise_costs
from accounting.costs import CostLedger
from accounting.ledger import Entry, FlagCount, Ledger
from accounting.segments import SEGMENTS, has_unanswered_handoff, segment_of
from brands import BrandConfig
from state.schema import Participation

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


class UnansweredHandoffs(BaseModel):
    """Conversations with a handoff no person has replied to, as of the report's run (any range)."""

    count: int
    """All of them, closed ones too: a handoff closed unanswered was never answered."""
    open: int
    """Those still open: customers still waiting for a person."""
    oldest_since: datetime | None
    """The first handoff of the open one waiting longest; null when none waits."""
    oldest_age_seconds: int | None
    """Seconds from `oldest_since` to when the report ran."""


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
    """`automated` over conversations someone replied to (ai_only + ai_and_human + human_only)."""
    charges: Tally
    credits: Tally
    billable: Tally
    """Net: charges minus credits (a credit may cancel a charge from an earlier range)."""
    automated: int
    """`ai_only` conversations with no unanswered handoff: the ones the AI handled whole (v1.1)."""
    handed_off_no_human_reply: int
    """Conversations opened in the range with a handoff and no human reply, open or closed: never
    billed, never automated (any segment; `ai_only - automated` of them are `ai_only`) (v1.1)."""
    unanswered_handoffs: UnansweredHandoffs
    """Open conversations waiting for a person now, whenever they were opened (v1.1)."""
    costs: Costs | None = None
    """Model and carrier cost in the range, per conversation and per automated conversation, and the
    margin (`accounting/cost_report.py`); null where no cost ledger was read."""


def month_of(moment: datetime) -> tuple[date, date]:
    """The first and last day of `moment`'s month in UTC: the report's range when none is given."""
    day = moment.astimezone(UTC).date()
    return day.replace(day=1), day.replace(day=calendar.monthrange(day.year, day.month)[1])


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


def unanswered_line(
    count: int, still_open: int, oldest: datetime | None, now: datetime
) -> UnansweredHandoffs:
    """The unanswered-handoff line as of `now` (an age is never negative, whatever the clocks say)."""
    age = max(0, int((now - oldest).total_seconds())) if oldest else None
    return UnansweredHandoffs(count=count, open=still_open, oldest_since=oldest, oldest_age_seconds=age)


def summarise(
    brand: BrandConfig,
    start: date,
    end: date,
    counts: Iterable[FlagCount],
    entries: Sequence[Entry],
    unanswered: UnansweredHandoffs,
    costs: Costs | None = None,
) -> AutomationReport:
    """The report from participation counts, ledger entries and the unanswered-handoff line (pure)."""
    per_segment = dict.fromkeys(SEGMENTS, 0)
    automated = handed_off_no_human_reply = 0
    for ai, human, silent, handed_off, n in counts:
        p: Participation = {
            "ai_replied": ai, "human_replied": human, "ai_closed_no_reply": silent, "handed_off": handed_off,
        }  # fmt: skip
        segment, unanswered_handoff = segment_of(p), has_unanswered_handoff(p)
        per_segment[segment] += n
        automated += n if segment == "ai_only" and not unanswered_handoff else 0
        handed_off_no_human_reply += n if unanswered_handoff else 0
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
        automation_rate=round(automated / answered, 4) if answered else 0.0,
        charges=charges,
        credits=credits,
        billable=Tally(count=charges.count - credits.count, amount=round(charges.amount + credits.amount, 2)),
        automated=automated,
        handed_off_no_human_reply=handed_off_no_human_reply,
        unanswered_handoffs=unanswered,
        costs=costs,
    )


async def automation_report(
    ledger: Ledger,
    brand: BrandConfig,
    start: date,
    end: date,
    now: datetime,
    cost_ledger: CostLedger | None = None,
) -> AutomationReport:
    """Settle what fell due by `now`, then report on `start`..`end` for this brand only; with the
    cost ledger, its model and carrier costs for the same days."""
    await settle_brand(ledger, brand, now)
    counts = await ledger.participation_counts(brand.brand_id, start, end)
    entries = await ledger.entries_between(brand.brand_id, start, end)
    unanswered = unanswered_line(*await ledger.unanswered_handoffs(brand.brand_id), now)
    report = summarise(brand, start, end, counts, entries, unanswered)
    if cost_ledger is None:
        return report
    spent = await cost_ledger.spent(brand.brand_id, start.isoformat(), (end + timedelta(days=1)).isoformat())
    costs = summarise_costs(brand, spent, report.conversations, report.automated)
    return report.model_copy(update={"costs": costs})


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
        # v1.1, after every v1 row so a reader by position keeps working
        ("automated", str(report.automated)),
        ("handed_off_no_human_reply", str(report.handed_off_no_human_reply)),
        *_unanswered_rows(report.unanswered_handoffs),
        *_cost_rows(report.costs),
    ]


def _cost_rows(costs: Costs | None) -> list[tuple[str, str]]:
    if costs is None:
        return []
    rows: list[tuple[str, str]] = [
        ("model_input_tokens", str(costs.model.input_tokens)),
        ("model_output_tokens", str(costs.model.output_tokens)),
    ]
    for name, line in (("model", costs.model), ("carrier", costs.carrier), ("total_cost", costs.total)):
        if line is None:
            continue
        rows += [
            (f"{name}_count", str(line.count)),
            (f"{name}_amount", f"{line.amount:.6f}"),
            (f"{name}_currency", line.currency),
            (f"{name}_per_conversation", _six(line.per_conversation)),
            (f"{name}_per_automated_conversation", _six(line.per_automated_conversation)),
        ]
    return [*rows, ("margin_per_automated_conversation", _six(costs.margin_per_automated_conversation))]


def _six(value: float | None) -> str:
    return "" if value is None else f"{value:.6f}"


def _unanswered_rows(line: UnansweredHandoffs) -> list[tuple[str, str]]:
    since, age = line.oldest_since, line.oldest_age_seconds
    return [
        ("unanswered_handoffs_count", str(line.count)),
        ("unanswered_handoffs_open", str(line.open)),
        ("unanswered_handoffs_oldest_since", since.isoformat() if since else ""),
        ("unanswered_handoffs_oldest_age_seconds", "" if age is None else str(age)),
    ]


def to_csv(report: AutomationReport) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("metric", "value"))
    writer.writerows(report_rows(report))
    return out.getvalue()
