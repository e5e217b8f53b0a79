"""The conversation's owner (state/ownership.py): each transition, and properties over random histories."""

from __future__ import annotations

from typing import get_args

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from state.ownership import Happening, Owner, next_owner, owner_of_history

HAPPENINGS = st.lists(st.sampled_from(get_args(Happening)), max_size=30)


@pytest.mark.parametrize(
    ("history", "status", "reopens_to"),
    [
        ([], "ai", "ai"),
        (["customer_message"], "ai", "ai"),
        (["handoff"], "awaiting_human", "awaiting_human"),
        (["handoff", "customer_message"], "awaiting_human", "awaiting_human"),
        (["handoff", "human_reply"], "human", "human"),
        (["handoff", "human_reply", "handoff"], "human", "human"),
        (["handoff", "human_reply", "handed_back"], "ai", "ai"),
        (["human_reply", "closed"], "closed", "human"),
        (["human_reply", "closed", "customer_message"], "human", "human"),
        (["handoff", "ai_closed_without_reply", "reopened"], "awaiting_human", "awaiting_human"),
        (["closed", "human_reply"], "closed", "human"),
        (["closed", "handed_back", "reopened"], "ai", "ai"),
        (["closed", "handoff"], "closed", "ai"),
    ],
)
def test_each_transition(history: list[Happening], status: str, reopens_to: str) -> None:
    assert owner_of_history(history) == Owner(status, reopens_to)  # type: ignore[arg-type]


@settings(max_examples=500)
@given(HAPPENINGS)
def test_that_a_person_keeps_the_conversation_until_it_is_handed_back(history: list[Happening]) -> None:
    owner = owner_of_history(history)
    for happening in ("customer_message", "handoff", "reopened"):
        after = next_owner(owner, happening)  # type: ignore[arg-type]
        if owner.person:
            assert after.person  # nothing the customer or the AI does takes it back
    assert next_owner(owner, "handed_back").status in ("ai", "closed")


@settings(max_examples=500)
@given(HAPPENINGS)
def test_that_closing_and_reopening_returns_to_the_owner(history: list[Happening]) -> None:
    owner = owner_of_history(history)
    closed = next_owner(owner, "closed")
    assert closed.status == "closed"
    reopened = next_owner(closed, "reopened")
    assert reopened.status == (owner.reopens_to if owner.status == "closed" else owner.status)
    assert reopened.status != "closed"
