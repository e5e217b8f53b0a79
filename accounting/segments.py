"""Who took part in a conversation, and the segment that follows.

Invariant guarded here (7, honest accounting): the segment is one pure function of the
conversation's events — who replied and whether the AI closed it without a reply — never of
timing, order or message counts. Only the AI alone is automated; one human line makes it
`ai_and_human`. The same tables feed the checkpoint (`billing` node, events endpoint) and the
ledger, so the segment a response shows is the segment the ledger bills.

A handoff (any reason, the guard's included) sets `handed_off`, which leaves the segment alone but
makes the conversation unbillable and not automated until a person replies
(`has_unanswered_handoff`): when in doubt we undercount.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Literal

from state.schema import Participation, merge_participation

Segment = Literal["ai_only", "ai_and_human", "human_only", "ai_closed_no_reply", "nobody"]
SEGMENTS: tuple[Segment, ...] = ("ai_only", "ai_and_human", "human_only", "ai_closed_no_reply", "nobody")

ConversationEvent = Literal[
    "customer_message",
    "ai_reply",
    "ai_closed_no_reply",
    "human_reply",
    "closed",
    "reopened",
    "handed_off",
    "handed_back",
]
EVENT_PARTICIPATION: Mapping[ConversationEvent, Participation] = {
    "customer_message": {},
    "ai_reply": {"ai_replied": True},
    "ai_closed_no_reply": {"ai_closed_no_reply": True, "closed": True},
    "human_reply": {"human_replied": True},
    "closed": {"closed": True},
    "reopened": {},
    "handed_off": {"handed_off": True},
    "handed_back": {},
}
"""What each event adds to the conversation's participation (flags only ever grow).

`handed_back` (a person gives the conversation back to the AI) is not a reply: it adds nothing,
so a handoff nobody answered stays unanswered after it."""

GUARD_HANDOFF = "internal_error"
"""The handoff reason of the per-turn guard (`service/turns.py`): its apology answers nothing."""


def participation_of(events: Iterable[ConversationEvent]) -> Participation:
    """Fold events into participation: a set union, so order and repeats do not matter."""
    merged: Participation = {}
    for event in events:
        merged = merge_participation(merged, EVENT_PARTICIPATION[event])
    return merged


def segment_of(p: Participation) -> Segment:
    """The segment: replies decide it; a silent AI close counts only when nobody replied."""
    ai, human = bool(p.get("ai_replied")), bool(p.get("human_replied"))
    if ai and human:
        return "ai_and_human"
    if ai:
        return "ai_only"
    if human:
        return "human_only"
    if p.get("ai_closed_no_reply"):
        return "ai_closed_no_reply"
    return "nobody"


def has_unanswered_handoff(p: Participation) -> bool:
    """Something was handed off and no person has replied: never billed, never automated."""
    return bool(p.get("handed_off")) and not p.get("human_replied")


def turn_events(
    reply: str | None, handoff_reason: str | None, *, silenced: bool = False
) -> list[ConversationEvent]:
    """The events one turn adds: the customer's message, the AI's reply or its silent close, a handoff.

    `reply is None` is the AI closing without a reply (`compose` decided there was nothing to
    answer), unless `silenced`: a person owns or is awaited on the conversation, and the AI's
    silence is theirs to end, not a close. The guard's apology after a crash is not an answer: it
    adds no AI participation. Any handoff reason, the guard's included, adds `handed_off`.
    """
    events: list[ConversationEvent] = ["customer_message"]
    if handoff_reason != GUARD_HANDOFF and not (silenced and reply is None):
        if reply:
            events.append("ai_reply")
        elif reply is None:
            events.append("ai_closed_no_reply")
    if handoff_reason is not None:
        events.append("handed_off")
    return events
