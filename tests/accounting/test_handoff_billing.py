"""Over HTTP: a conversation the AI handed off is billed only if a person answered it (invariant 9).

Globex's conversation that the AI handed off and that closed with no human reply used to be billed
as `ai_only` (automation rate 1.0, a 1.10 charge); now it stays `ai_only` but is neither automated
nor billed, and it sits on the report's unanswered-handoff line (counted `open` until it closes).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from config.settings import Settings
from tests.api.test_turn_guard import raising_workflow
from tests.utils.clock import set_clock
from tests.utils.conversations import ACME, BOB, GLOBEX, event, say
from workflows.registry import REGISTRY
from workflows.spec import Workflow

START = datetime(2026, 11, 10, 9, 0, tzinfo=UTC)
NOV = {"from": "2026-11-01", "to": "2026-11-30"}
DEC = {"from": "2026-12-01", "to": "2026-12-31"}
NONE_WAITING = {"count": 0, "open": 0, "oldest_since": None, "oldest_age_seconds": None}
CLOSED_UNANSWERED = {"count": 1, "open": 0, "oldest_since": None, "oldest_age_seconds": None}


def report(client: TestClient, params: dict, headers: dict) -> dict:
    response = client.get("/v1/reports/automation", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def test_that_a_globex_conversation_handed_off_and_closed_unanswered_is_not_billed_but_an_ai_only_one_is(
    isolated_client: TestClient,
) -> None:
    client = isolated_client
    clock = set_clock(client, START)
    assert (
        say(client, "handed-off", "where is my order 2001?", headers=GLOBEX, customer=BOB)["handoff"] is None
    )
    asked = say(client, "handed-off", "I want to talk to a human", headers=GLOBEX, customer=BOB)
    assert (asked["handoff"]["reason"], asked["segment"]) == ("customer_asked", "ai_only")
    say(client, "ai-only", "where is my order 2001?", headers=GLOBEX, customer=BOB)
    event(client, "ai-only", "closed", headers=GLOBEX)

    clock.advance(minutes=10)
    waiting = {"count": 1, "open": 1, "oldest_since": "2026-11-10T09:00:00Z", "oldest_age_seconds": 600}
    assert report(client, NOV, GLOBEX)["unanswered_handoffs"] == waiting
    assert report(client, DEC, GLOBEX)["unanswered_handoffs"] == waiting  # whatever the range
    assert report(client, NOV, ACME)["unanswered_handoffs"] == NONE_WAITING  # the brand's own only
    clock.advance(hours=80)  # quiet past the window: the sweep bills nothing, the line ages
    assert report(client, NOV, GLOBEX)["unanswered_handoffs"]["oldest_age_seconds"] == 600 + 80 * 3600

    assert event(client, "handed-off", "closed", headers=GLOBEX)["segment"] == "ai_only"
    nov = report(client, NOV, GLOBEX)
    assert (nov["conversations"], nov["segments"]["ai_only"], nov["automated"], nov["automation_rate"]) == (
        2, 2, 1, 0.5,
    )  # fmt: skip
    assert (nov["charges"], nov["credits"], nov["billable"]) == (
        {"count": 1, "amount": 1.1}, {"count": 0, "amount": 0.0}, {"count": 1, "amount": 1.1},
    )  # fmt: skip  # the AI-only conversation alone
    assert (nov["handed_off_no_human_reply"], nov["unanswered_handoffs"]) == (1, CLOSED_UNANSWERED)
    csv = client.get("/v1/reports/automation", params=NOV, headers={**GLOBEX, "Accept": "text/csv"}).text
    rows = dict(line.split(",") for line in csv.splitlines())
    assert (rows["automated"], rows["handed_off_no_human_reply"], rows["unanswered_handoffs_count"]) == (
        "1",
        "1",
        "1",
    )
    assert rows["unanswered_handoffs_open"] == "0"  # closed unanswered: on the line, waiting no more


def test_that_a_handoff_after_the_charge_credits_it_and_a_person_answering_keeps_it_free_in_strict_mode(
    isolated_client: TestClient,
) -> None:
    client = isolated_client
    clock = set_clock(client, START)
    say(client, "charged", "where is my order 1001?")
    event(client, "charged", "closed")
    assert report(client, NOV, ACME)["billable"] == {"count": 1, "amount": 0.9}
    clock.advance(hours=1)
    assert say(client, "charged", "I want to talk to a human")["handoff"]["reason"] == "customer_asked"
    after = report(client, NOV, ACME)
    assert (after["charges"], after["credits"], after["billable"], after["automated"]) == (
        {"count": 1, "amount": 0.9}, {"count": 1, "amount": -0.9}, {"count": 0, "amount": 0.0}, 0,
    )  # fmt: skip
    assert after["unanswered_handoffs"] == {
        "count": 1, "open": 1, "oldest_since": "2026-11-10T10:00:00Z", "oldest_age_seconds": 0,
    }  # fmt: skip
    clock.advance(hours=1)
    assert event(client, "charged", "human_reply", text="Hi, Sam here.")["segment"] == "ai_and_human"
    event(client, "charged", "closed")
    answered = report(client, NOV, ACME)
    assert (answered["billable"], answered["handed_off_no_human_reply"], answered["unanswered_handoffs"]) == (
        {"count": 0, "amount": 0.0}, 0, NONE_WAITING,
    )  # fmt: skip
    assert report(client, NOV, ACME) == answered  # settling again changes nothing


@pytest.fixture
def broken_isolated_client(isolated_settings: Settings) -> Iterator[TestClient]:
    """The service on a database of its own, its order-status workflow raising on every turn."""
    broken = Workflow(
        name="order_status", router=REGISTRY["order_status"].router, build=lambda _spec: raising_workflow()
    )
    with TestClient(create_app(isolated_settings, REGISTRY.with_workflows(broken))) as c:
        yield c


def test_that_the_guards_handoff_after_an_ai_answer_keeps_a_quiet_conversation_unbilled(
    broken_isolated_client: TestClient,
) -> None:
    client = broken_isolated_client
    clock = set_clock(client, START)
    assert say(client, "crashed", "I want to return something")["handoff"] is None  # answered by the AI
    assert say(client, "crashed", "where is my order 1001?")["handoff"]["reason"] == "internal_error"
    clock.advance(hours=100)  # quiet past the window
    nov = report(client, NOV, ACME)
    assert (nov["segments"]["ai_only"], nov["automated"], nov["charges"]["count"]) == (1, 0, 0)
    assert nov["unanswered_handoffs"] == {
        "count": 1, "open": 1, "oldest_since": "2026-11-10T09:00:00Z", "oldest_age_seconds": 100 * 3600,
    }  # fmt: skip
