"""The report's figures from a population of conversations (pure): the counts add up, nothing unanswered is billed."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from accounting.billing import BillingPolicy, bill, participation
from accounting.bookkeeping import policy_of
from accounting.ledger import Account, Entry, FlagCount
from accounting.report import summarise, unanswered_line
from accounting.segments import EVENT_PARTICIPATION, ConversationEvent, has_unanswered_handoff, segment_of
from brands import default_brands

BRANDS = default_brands()
T0 = datetime(2026, 11, 1, 0, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)
NOW = T0 + 28 * 24 * HOUR
"""Every event below happens in November before this, so every conversation was opened in it."""

CONVERSATION = st.tuples(
    st.lists(st.sampled_from(list(EVENT_PARTICIPATION)), min_size=1, max_size=8),
    st.lists(st.integers(0, 80), min_size=8, max_size=8),
)


def play(
    events: list[ConversationEvent], gaps: list[int], policy: BillingPolicy
) -> tuple[Account, list[Entry]]:
    timed = [(e, T0 + sum(gaps[: i + 1]) * HOUR) for i, e in enumerate(events)]
    return bill(timed, policy, NOW)


def flag_counts(accounts: list[Account]) -> list[FlagCount]:
    """What `Ledger.participation_counts` answers for these accounts."""
    groups = Counter((a.ai_replied, a.human_replied, a.ai_closed_no_reply, a.handed_off) for a in accounts)
    return [FlagCount(*flags, n) for flags, n in sorted(groups.items())]


def waiting(accounts: list[Account]) -> tuple[int, int, datetime | None]:
    """What `Ledger.unanswered_handoffs` answers for these accounts."""
    unanswered = [a for a in accounts if a.handed_off_at and not a.human_replied]
    still_open = [a.handed_off_at for a in unanswered if not a.is_closed and a.handed_off_at]
    return len(unanswered), len(still_open), min(still_open, default=None)


@settings(max_examples=500)
@given(
    st.lists(CONVERSATION, max_size=8),
    st.sampled_from(["acme", "globex"]),
    st.sampled_from(["strict", "assisted"]),
)
def test_that_the_reports_counts_add_up_and_no_unanswered_handoff_is_billed_or_automated(
    population: list[tuple[list[ConversationEvent], list[int]]], brand_id: str, mode: str
) -> None:
    brand = BRANDS[brand_id].model_copy(update={"billing_mode": mode})
    policy = policy_of(brand)
    played = [play(events, gaps, policy) for events, gaps in population]
    accounts = [account for account, _ in played]
    entries = [e for _, booked in played for e in booked]
    report = summarise(
        brand, date(2026, 11, 1), date(2026, 11, 30), flag_counts(accounts), entries,
        unanswered_line(*waiting(accounts), NOW),
    )  # fmt: skip

    segments = Counter(segment_of(participation(a)) for a in accounts)
    unanswered = [has_unanswered_handoff(participation(a)) for a in accounts]
    automated = sum(
        segment_of(participation(a)) == "ai_only" and not u for a, u in zip(accounts, unanswered, strict=True)
    )
    assert report.conversations == len(population) == sum(report.segments.model_dump().values())
    assert report.segments.model_dump() == {s: segments[s] for s in report.segments.model_dump()}
    assert (report.automated, report.handed_off_no_human_reply) == (automated, sum(unanswered))
    assert report.segments.ai_only - report.automated <= report.handed_off_no_human_reply
    answered = segments["ai_only"] + segments["ai_and_human"] + segments["human_only"]
    assert report.automation_rate == (round(automated / answered, 4) if answered else 0.0)
    assert report.billable.count == report.charges.count - report.credits.count
    assert round(report.billable.amount * 100) == sum(e.amount_cents for e in entries)
    for (_, booked), u in zip(played, unanswered, strict=True):
        assert not u or sum(e.amount_cents for e in booked) == 0  # nothing unanswered is billed net
    assert report.unanswered_handoffs.count <= report.handed_off_no_human_reply
    assert report.unanswered_handoffs.open <= report.unanswered_handoffs.count
    if report.unanswered_handoffs.open:
        assert report.unanswered_handoffs.oldest_age_seconds == int((NOW - min(
            a.handed_off_at for a, u in zip(accounts, unanswered, strict=True) if u and a.handed_off_at and not a.is_closed
        )).total_seconds())  # fmt: skip
    else:
        assert (report.unanswered_handoffs.oldest_since, report.unanswered_handoffs.oldest_age_seconds) == (
            None,
            None,
        )


def test_that_the_globex_conversation_handed_off_twice_is_neither_automated_nor_billed() -> None:
    globex = BRANDS["globex"]
    events: list[ConversationEvent] = [
        "customer_message", "ai_reply", "handed_off", "customer_message", "ai_reply", "handed_off", "closed",
    ]  # fmt: skip
    account, booked = play(events, [1] * 8, policy_of(globex))
    report = summarise(
        globex, date(2026, 11, 1), date(2026, 11, 30), flag_counts([account]), booked,
        unanswered_line(*waiting([account]), NOW),
    )  # fmt: skip
    assert (report.segments.ai_only, report.automated, report.automation_rate) == (1, 0, 0.0)
    line = report.unanswered_handoffs
    assert (report.handed_off_no_human_reply, report.billable.amount, line.count, line.open) == (1, 0.0, 1, 0)
