"""The segment is one pure function of who replied and whether the AI closed silently (invariant 7)."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accounting.segments import (
    EVENT_PARTICIPATION,
    ConversationEvent,
    has_unanswered_handoff,
    participation_of,
    segment_of,
    turn_events,
)
from routing.silence import nothing_to_answer
from state.schema import new_run
from tools.sanitiser import clean

EVENTS: list[ConversationEvent] = list(EVENT_PARTICIPATION)

SEGMENT_TABLE = [
    # ai replied, human replied, AI closed silently -> segment
    ((False, False, False), "nobody"),
    ((False, False, True), "ai_closed_no_reply"),
    ((True, False, False), "ai_only"),
    ((True, False, True), "ai_only"),
    ((False, True, False), "human_only"),
    ((False, True, True), "human_only"),
    ((True, True, False), "ai_and_human"),
    ((True, True, True), "ai_and_human"),
]


@pytest.mark.parametrize(("flags", "segment"), SEGMENT_TABLE)
def test_that_the_segment_follows_from_who_replied(flags: tuple[bool, bool, bool], segment: str) -> None:
    ai, human, silent = flags
    for closed in (False, True):
        p = {"ai_replied": ai, "human_replied": human, "ai_closed_no_reply": silent, "closed": closed}
        assert segment_of(p) == segment  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("events", "segment"),
    [
        (("customer_message", "ai_reply"), "ai_only"),
        (("customer_message", "ai_reply", "human_reply", "closed"), "ai_and_human"),
        (("human_reply", "closed"), "human_only"),
        (("customer_message", "ai_closed_no_reply"), "ai_closed_no_reply"),
        (("closed",), "nobody"),
        (("customer_message", "ai_closed_no_reply", "human_reply"), "human_only"),
        (("customer_message", "ai_closed_no_reply", "customer_message", "ai_reply"), "ai_only"),
        (("customer_message", "ai_reply", "closed", "reopened", "human_reply"), "ai_and_human"),
    ],
)
def test_that_every_ordering_of_a_conversations_events_gives_the_same_segment(
    events: tuple[ConversationEvent, ...], segment: str
) -> None:
    for ordering in set(itertools.permutations(events)):
        assert segment_of(participation_of(ordering)) == segment, ordering


@given(st.lists(st.sampled_from(EVENTS), max_size=12), st.randoms())
def test_that_the_segment_ignores_order_repeats_and_message_counts(events: list, rnd) -> None:
    shuffled = [*events, *events[: len(events) // 2], "customer_message", "reopened"]
    rnd.shuffle(shuffled)
    assert segment_of(participation_of(shuffled)) == segment_of(participation_of(events))
    who = ("ai_reply" in events, "human_reply" in events, "ai_closed_no_reply" in events)
    assert segment_of(participation_of(events)) == dict(SEGMENT_TABLE)[who]


def test_that_a_turn_records_a_reply_a_silent_close_a_handoff_and_for_the_guard_only_the_handoff() -> None:
    assert turn_events("Order #1001 ...", None) == ["customer_message", "ai_reply"]
    assert turn_events("I passed this on.", "customer_asked") == [
        "customer_message",
        "ai_reply",
        "handed_off",
    ]
    assert turn_events("", "deadline") == ["customer_message", "handed_off"]
    assert turn_events(None, None) == ["customer_message", "ai_closed_no_reply"]
    assert turn_events("Sorry, something went wrong", "internal_error") == ["customer_message", "handed_off"]
    assert turn_events("", None) == ["customer_message"]


def test_that_a_handoff_leaves_the_segment_and_only_a_human_reply_answers_it() -> None:
    handed = participation_of(
        ["customer_message", "ai_reply", "handed_off", "handed_back", "ai_reply", "closed"]
    )
    assert (segment_of(handed), has_unanswered_handoff(handed)) == ("ai_only", True)
    answered = participation_of(["customer_message", "ai_reply", "handed_off", "human_reply", "handed_back"])
    assert (segment_of(answered), has_unanswered_handoff(answered)) == ("ai_and_human", False)
    assert EVENT_PARTICIPATION["handed_back"] == {}
    assert has_unanswered_handoff(participation_of(["customer_message", "ai_reply", "closed"])) is False


RESOLVED = [{**new_run("order_status"), "status": "resolved", "turn": 1}]
WAITING = [{**new_run("order_status"), "status": "waiting", "turn": 1}]
HANDED_OFF = [{**new_run("handoff"), "status": "handed_off", "turn": 1}]


@pytest.mark.parametrize(
    ("raw", "runs", "reason"),
    [
        ("\u200b\u200b\u2060", [], "empty"),
        ("   \n\t  ", WAITING, "empty"),
        ("\u202e\u200b \ufeff", RESOLVED, "empty"),
        ("Automatic reply: Re: your order", [], "auto_reply"),
        ("Out of Office: back on Monday", WAITING, "auto_reply"),
        ("Undeliverable: Your order 1001 has shipped", [], "auto_reply"),
        ("Réponse automatique : absent jusqu'au 3 décembre", [], "auto_reply"),
        ("Thank you for your email. I am currently out of the office until 3 December.", [], "auto_reply"),
        ("This is an automated message: your message was delivered.", [], "auto_reply"),
        ("Hi, I’m on parental leave and will reply when I am back.", [], "auto_reply"),
        ("I'm out of the office.\n> Could you tell me the order number?", [], "auto_reply"),
        ("thanks!", RESOLVED, "thanks"),
        ("Ok, thank you so much 👍", RESOLVED, "thanks"),
        ("👍", RESOLVED, "thanks"),
        ("great thanks, bye", RESOLVED, "thanks"),
        # Answered: a question, thanks while something waits or was handed off, a first message.
        ("thanks", WAITING, None),
        ("thanks", HANDED_OFF, None),
        ("thanks", [], None),
        ("thanks, and where is my order 1002?", RESOLVED, None),
        ("I am out of the office this week, where is my order 1001?", [], None),
        ("Delivered - but the box was broken", [], None),
        ("where is my order 1001?", RESOLVED, None),
        ("?", RESOLVED, None),
        ("...!", RESOLVED, None),
    ],
)
def test_that_the_ai_closes_without_reply_only_when_there_is_nothing_to_answer(
    raw: str, runs: list, reason: str | None
) -> None:
    assert nothing_to_answer(clean(raw, source="customer").text, runs) == reason


@given(st.text(alphabet="\u200b\u200c\u2060\ufeff\u202a\u202e\u2066 \t\n\u00a0", max_size=40))
def test_that_pure_padding_is_empty_after_sanitising_and_closes_silently(raw: str) -> None:
    assert nothing_to_answer(clean(raw, source="customer").text, WAITING) == "empty"
