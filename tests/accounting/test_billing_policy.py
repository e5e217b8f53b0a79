"""The pure billing policy: when a conversation is charged, when the charge is clawed back, modes."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accounting.billing import (
    BillingPolicy,
    bill,
    billed_price,
    entries_due,
    participation,
    price_cents,
    step,
)
from accounting.ledger import Account
from accounting.segments import (
    EVENT_PARTICIPATION,
    ConversationEvent,
    has_unanswered_handoff,
    participation_of,
    segment_of,
)

T0 = datetime(2026, 11, 10, 9, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)
STRICT = BillingPolicy.of("strict", 0.90, 0.5, 72)
ASSISTED = BillingPolicy.of("assisted", 0.90, 0.5, 72)
LATER = T0 + timedelta(days=30)
"""Settling this late, every conversation has fallen due."""


def hourly(events: tuple[ConversationEvent, ...]) -> list[tuple[ConversationEvent, datetime]]:
    return [(event, T0 + i * HOUR) for i, event in enumerate(events)]


def net(events: tuple[ConversationEvent, ...], policy: BillingPolicy, now: datetime = LATER) -> int:
    return sum(e.amount_cents for e in bill(hourly(events), policy, now)[1])


ORDERINGS = [
    # events (every ordering of them is checked), segment, net cents strict, net cents assisted
    (("customer_message", "ai_reply", "closed"), "ai_only", 90, 90),
    (("customer_message", "ai_reply", "ai_closed_no_reply"), "ai_only", 90, 90),
    (("customer_message", "ai_reply", "human_reply", "closed"), "ai_and_human", 0, 45),
    (("customer_message", "ai_reply", "closed", "reopened", "human_reply"), "ai_and_human", 0, 45),
    (("customer_message", "human_reply", "closed"), "human_only", 0, 0),
    (("customer_message", "ai_closed_no_reply"), "ai_closed_no_reply", 0, 0),
    (("customer_message", "ai_closed_no_reply", "human_reply"), "human_only", 0, 0),
    (("customer_message", "closed"), "nobody", 0, 0),
    (("closed", "reopened"), "nobody", 0, 0),
    # A handoff nobody answered: free in both modes, whatever came before or after it.
    (("customer_message", "ai_reply", "handed_off", "closed"), "ai_only", 0, 0),
    (("customer_message", "ai_reply", "handed_off", "handed_back", "ai_reply", "closed"), "ai_only", 0, 0),
    (("customer_message", "handed_off", "closed"), "nobody", 0, 0),
    (("customer_message", "ai_closed_no_reply", "handed_off"), "ai_closed_no_reply", 0, 0),
    # A person answered the handoff: `ai_and_human` as without it.
    (("customer_message", "ai_reply", "handed_off", "human_reply", "closed"), "ai_and_human", 0, 45),
    (("customer_message", "handed_off", "human_reply", "handed_back", "closed"), "human_only", 0, 0),
]


@pytest.mark.parametrize(("events", "segment", "strict", "assisted"), ORDERINGS)
def test_that_every_ordering_of_events_ends_in_the_same_segment_and_the_same_net_bill(
    events: tuple[ConversationEvent, ...], segment: str, strict: int, assisted: int
) -> None:
    for ordering in set(itertools.permutations(events)):
        account, entries = bill(hourly(ordering), STRICT, LATER)
        assert segment_of(participation_of(ordering)) == segment_of(participation(account)) == segment, (
            ordering
        )
        assert (sum(e.amount_cents for e in entries), net(ordering, ASSISTED)) == (strict, assisted), ordering
        charges = [e.segment for e in entries if e.kind == "charge"]
        credits = [e.segment for e in entries if e.kind == "credit"]
        assert len(set(charges)) == len(charges) and set(credits) <= set(charges), ordering


LEDGERS = [
    # an ordering, settled at LATER -> the ledger keys it writes, in order
    (("customer_message", "ai_reply", "closed"), ["charge:ai_only"]),
    (("customer_message", "ai_reply", "closed", "human_reply"), ["charge:ai_only", "credit:ai_only"]),
    (("customer_message", "ai_reply", "human_reply", "closed"), []),
    (
        ("customer_message", "ai_reply", "closed", "reopened", "human_reply"),
        ["charge:ai_only", "credit:ai_only"],
    ),
    (("customer_message", "ai_reply", "closed", "reopened", "ai_reply", "closed"), ["charge:ai_only"]),
    (("closed", "customer_message", "ai_reply"), ["charge:ai_only"]),
    (("human_reply", "customer_message", "ai_reply", "closed"), []),
    (("customer_message", "ai_reply", "handed_off", "closed"), []),
    (("customer_message", "ai_reply", "closed", "handed_off"), ["charge:ai_only", "credit:ai_only"]),
    (
        ("customer_message", "ai_reply", "closed", "handed_off", "human_reply", "closed"),
        ["charge:ai_only", "credit:ai_only"],
    ),
    (
        ("customer_message", "ai_reply", "closed", "handed_off", "handed_back", "ai_reply", "closed"),
        [
            "charge:ai_only",
            "credit:ai_only",
        ],
    ),
]


@pytest.mark.parametrize(("events", "keys"), LEDGERS)
def test_that_each_ordering_writes_exactly_these_ledger_rows(
    events: tuple[ConversationEvent, ...], keys: list[str]
) -> None:
    assert [e.key for e in bill(hourly(events), STRICT, LATER)[1]] == keys


def test_that_a_charge_is_dated_at_the_close_and_its_credit_at_the_human_reply() -> None:
    _, entries = bill(hourly(("customer_message", "ai_reply", "closed", "human_reply")), STRICT, LATER)
    assert [(e.key, e.amount_cents, e.at, e.reason) for e in entries] == [
        ("charge:ai_only", 90, T0 + 2 * HOUR, "closed"),
        ("credit:ai_only", -90, T0 + 3 * HOUR, "became ai_and_human"),
    ]


def test_that_the_first_ai_reply_is_not_billed_until_the_inactivity_window_has_passed() -> None:
    events = hourly(("customer_message", "ai_reply"))
    assert bill(events, STRICT, T0 + HOUR)[1] == []
    assert bill(events, STRICT, T0 + HOUR + timedelta(hours=71, minutes=59))[1] == []
    _, entries = bill(events, STRICT, T0 + HOUR + timedelta(hours=72))
    assert [(e.key, e.at, e.reason) for e in entries] == [("charge:ai_only", T0 + 73 * HOUR, "inactive")]


def test_that_a_brands_window_decides_when_quiet_means_billable() -> None:
    short = BillingPolicy.of("strict", 0.90, 0.5, 24)
    events = hourly(("customer_message", "ai_reply"))
    assert [e.key for e in bill(events, short, T0 + 25 * HOUR)[1]] == ["charge:ai_only"]
    assert bill(events, STRICT, T0 + 25 * HOUR)[1] == []


def test_that_a_handoff_after_the_charge_claws_it_back_at_the_handoff() -> None:
    events = hourly(("customer_message", "ai_reply", "closed", "customer_message", "handed_off"))
    account, entries = bill(events, STRICT, LATER)
    assert [(e.key, e.amount_cents, e.at, e.reason) for e in entries] == [
        ("charge:ai_only", 90, T0 + 2 * HOUR, "closed"),
        ("credit:ai_only", -90, T0 + 4 * HOUR, "handed off"),
    ]
    assert account.handed_off_at == T0 + 4 * HOUR


def test_that_assisted_mode_bills_the_share_once_a_person_answers_the_handoff() -> None:
    events = hourly(("customer_message", "ai_reply", "handed_off", "closed", "human_reply", "closed"))
    assert bill(events[:4], ASSISTED, LATER)[1] == []
    assert [(e.key, e.amount_cents, e.at) for e in bill(events, ASSISTED, LATER)[1]] == [
        ("charge:ai_and_human", 45, T0 + 4 * HOUR),  # at the reply that made it billable, not the close
    ]


def test_that_the_guard_hands_off_and_a_quiet_conversation_after_it_is_never_billed() -> None:
    events = [("customer_message", T0), ("ai_reply", T0), ("customer_message", T0 + HOUR)]
    events.append(("handed_off", T0 + HOUR))  # the guard's turn: turn_events(apology, "internal_error")
    assert bill(events, STRICT, LATER)[1] == []
    assert bill(events[:2], STRICT, LATER)[1] != []  # without the guard's handoff it would be billed


def test_that_a_late_human_reply_after_the_window_is_charged_then_credited() -> None:
    events = [("customer_message", T0), ("ai_reply", T0), ("human_reply", T0 + 100 * HOUR)]
    _, entries = bill(events, STRICT, T0 + 100 * HOUR)
    assert [(e.key, e.at) for e in entries] == [
        ("charge:ai_only", T0 + 72 * HOUR),
        ("credit:ai_only", T0 + 100 * HOUR),
    ]


def test_that_assisted_mode_replaces_the_charge_with_the_assisted_price() -> None:
    _, entries = bill(hourly(("customer_message", "ai_reply", "closed", "human_reply")), ASSISTED, LATER)
    assert [(e.key, e.amount_cents, e.at, e.mode) for e in entries] == [
        ("charge:ai_only", 90, T0 + 2 * HOUR, "assisted"),
        ("credit:ai_only", -90, T0 + 3 * HOUR, "assisted"),
        ("charge:ai_and_human", 45, T0 + 3 * HOUR, "assisted"),  # not before the credit it follows
    ]


def test_that_a_customer_writing_after_a_close_reopens_it_so_the_ai_reply_waits_for_the_window() -> None:
    events = hourly(("closed", "customer_message", "ai_reply"))
    assert bill(events, STRICT, T0 + 3 * HOUR)[1] == []
    assert [(e.key, e.at) for e in bill(events, STRICT, LATER)[1]] == [("charge:ai_only", T0 + 74 * HOUR)]


def test_that_prices_are_rounded_down_to_the_cent() -> None:
    policy = BillingPolicy.of("assisted", 1.10, 0.333, 72)
    assert policy.price_cents == 110
    assert net(("customer_message", "ai_reply", "human_reply", "closed"), policy) == 36


EVENT_LISTS = st.lists(st.sampled_from(list(EVENT_PARTICIPATION)), max_size=10)
GAPS = st.lists(st.integers(0, 100), min_size=11, max_size=11)


def timed(events: list[ConversationEvent], gaps: list[int]) -> list[tuple[ConversationEvent, datetime]]:
    return [(e, T0 + sum(gaps[: i + 1]) * HOUR) for i, e in enumerate(events)]


SETTLED = LATER + 2000 * HOUR
"""Later than any timed sequence's last event plus the window: everything fell due."""


@given(EVENT_LISTS, GAPS, st.integers(0, 10), st.sampled_from([STRICT, ASSISTED]))
def test_that_adding_a_human_reply_never_raises_the_bill_but_may_answer_a_handoff(
    events: list[ConversationEvent], gaps: list[int], where: int, policy: BillingPolicy
) -> None:
    # Compared once everything fell due: at a given moment an earlier human reply can bring the
    # assisted charge's due date forward (the window restarts on activity), so a snapshot may differ.
    where = min(where, len(events))
    without = timed(events, gaps)
    at = without[where - 1][1] if where else T0
    with_human = [*without[:where], ("human_reply", at), *without[where:]]
    billed = sum(e.amount_cents for e in bill(with_human, policy, SETTLED)[1])
    if has_unanswered_handoff(participation_of(events)):  # a person answering it may bill the share
        assert billed == price_cents("ai_and_human", policy) * ("ai_reply" in events)
    else:
        assert billed <= sum(e.amount_cents for e in bill(without, policy, SETTLED)[1])


@settings(max_examples=1000)
@given(
    st.lists(st.sampled_from([e for e in EVENT_PARTICIPATION if e != "human_reply"]), max_size=10),
    GAPS,
    st.integers(0, 10),
    st.integers(0, 400),
    st.sampled_from([STRICT, ASSISTED]),
)
def test_that_a_handoff_no_person_answered_is_never_charged_net_in_any_mode(
    events: list[ConversationEvent], gaps: list[int], where: int, settle_after: int, policy: BillingPolicy
) -> None:
    where = min(where, len(events))
    handed = [*events[:where], "handed_off", *events[where:]]
    sequence = timed(handed, gaps)
    now = sequence[-1][1] + settle_after * HOUR
    account, entries = bill(sequence, policy, now)
    first = sequence[handed.index("handed_off")][1]
    assert sum(e.amount_cents for e in entries) == 0
    assert all(e.at <= first for e in entries if e.kind == "charge")  # none falls due after it
    assert account.handed_off_at == first


@given(EVENT_LISTS, GAPS, st.integers(0, 400))
def test_that_settling_again_or_at_any_later_time_owes_nothing_new_but_what_fell_due(
    events: list[ConversationEvent], gaps: list[int], settle_after: int
) -> None:
    now = T0 + (sum(gaps) + settle_after) * HOUR
    account, entries = bill(timed(events, gaps), STRICT, now)
    assert entries_due(account, entries, STRICT, now) == []
    assert len({e.key for e in entries}) == len(entries)
    assert segment_of(participation_of(events)) == segment_of(participation(account))


@given(EVENT_LISTS, GAPS, st.sampled_from([STRICT, ASSISTED]))
def test_that_the_bill_depends_only_on_who_replied_and_any_handoff_once_everything_fell_due(
    events: list[ConversationEvent], gaps: list[int], policy: BillingPolicy
) -> None:
    billed = sum(e.amount_cents for e in bill(timed(events, gaps), policy, SETTLED)[1])
    p = participation_of(events)
    assert billed == billed_price(p, policy)
    assert billed == (0 if has_unanswered_handoff(p) else price_cents(segment_of(p), policy))


def test_that_step_settles_what_fell_due_before_applying_the_event() -> None:
    account, owed = step(Account(), [], "customer_message", T0, STRICT)
    account, owed = step(account, owed, "ai_reply", T0, STRICT)
    assert owed == []
    account, owed = step(account, [], "customer_message", T0 + 80 * HOUR, STRICT)
    assert [(e.key, e.at) for e in owed] == [("charge:ai_only", T0 + 72 * HOUR)]
    assert (account.is_closed, account.last_activity_at) == (False, T0 + 80 * HOUR)
