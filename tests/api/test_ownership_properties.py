"""Properties over random sequences of customer messages and helpdesk events, through the real API:
the status is always the pure function's (state/ownership.py); while a person owns the
conversation the AI neither replies, nor calls the model, nor writes to the store; and once it
closes, a conversation with a handoff no person answered is not billed (its ledger nets to zero)."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from state.ownership import Owner, next_owner
from tests.utils.conversations import event, new_conversation, say
from tests.utils.sandbox import Sandbox

TEXTS = (
    "I want to talk to a human",
    "where is my order 1001?",
    "I want to return order 1001 and get a refund",
    "yes",
    "Hello? Is anyone there?",
    "please cancel my subscription sub_501",
    "no thanks, cancel it",
    "My order 1002 should go to 500 Oak Road, Springfield, IL 62704",
)
EVENTS = ("human_reply", "handed_back", "closed", "reopened", "ai_closed_without_reply")
STEPS = st.lists(
    st.one_of(
        st.tuples(st.just("say"), st.sampled_from(TEXTS)),
        st.tuples(st.just("event"), st.sampled_from(EVENTS)),
    ),
    min_size=1,
    max_size=6,
)
CASES = 30


def _writes(sandbox: Sandbox) -> int:
    requests = sandbox.admin("commerce", "GET", "requests").json()["requests"]
    return sum(r["method"] in ("POST", "PUT") for r in requests)


def _model_calls(sandbox: Sandbox) -> int:
    return len(sandbox.admin("model", "GET", "requests").json()["requests"])


@settings(max_examples=CASES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=STEPS)
def test_that_the_ai_never_replies_or_acts_while_a_person_owns_the_conversation(
    client: TestClient, sandbox: Sandbox, steps: list[tuple[str, str]]
) -> None:
    conversation, owner = new_conversation(), Owner()
    handed_off = human_replied = False
    for kind, what in steps:
        human_replied |= (kind, what) == ("event", "human_reply")
        if kind == "event":
            body: dict[str, Any] = event(
                client, conversation, what, text="Dana here." if what == "human_reply" else None
            )
            owner = next_owner(owner, what)  # type: ignore[arg-type]
            assert body["status"] == owner.status
            continue
        owner = next_owner(owner, "customer_message")
        writes, calls = _writes(sandbox), _model_calls(sandbox)
        out = say(client, conversation, what)
        if owner.person:
            assert (out["reply"], out["workflows"], out["handoff"]) == (None, [], None)
            assert (_writes(sandbox), _model_calls(sandbox)) == (writes, calls)
        if out["handoff"] is not None:
            owner = next_owner(owner, "handoff")
            handed_off = True
        assert out["status"] == owner.status
    event(client, conversation, "closed")
    service = client.app.state.service  # type: ignore[attr-defined]
    entries = client.portal.call(service.ledger.entries, f"acme:{conversation}")  # type: ignore[union-attr]
    if handed_off and not human_replied:
        assert sum(e.amount_cents for e in entries) == 0, entries
