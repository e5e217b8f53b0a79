"""The lists of a brand's conversations over HTTP on SQLite and PostgreSQL: those awaiting a person
(`GET /v1/handoffs?status=waiting`: since when, why, what, the customer's last message, the writes made)
and all of them by owner (`GET /v1/conversations?status=`), a page at a time, never another brand's.

The PostgreSQL database is shared by the session's tests: the lists hold other tests' conversations
too, so these tests read their own out of them.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.test_history import read, without_times
from tests.utils.conversations import ACME, GLOBEX, event, new_conversation, say
from tests.workflows.test_returns_refunds import RETURN_1001

PERSON = "I want to talk to a human"


def pages(client: TestClient, path: str, key: str, headers: dict = ACME, **params: Any) -> Iterator[dict]:
    """Every row of a list, following `next_cursor` page by page."""
    cursor = None
    for _ in range(10_000):
        query = {**params, **({"cursor": cursor} if cursor else {})}
        response = client.get(path, params=query, headers=headers)
        assert response.status_code == 200, response.text
        body = response.json()
        yield from body[key]
        cursor = body["next_cursor"]
        if cursor is None:
            return
    raise AssertionError("the cursor never ended")


def handoffs(client: TestClient, headers: dict = ACME) -> dict[str, dict[str, Any]]:
    rows = list(pages(client, "/v1/handoffs", "handoffs", headers, status="waiting", limit=200))
    return {r["conversation_id"]: r for r in rows}


def test_that_a_handoff_is_listed_as_waiting_with_since_reason_unresolved_and_the_last_message(
    client: TestClient,
) -> None:
    conversation = new_conversation()
    before = datetime.now(UTC)
    out = say(client, conversation, PERSON, message_id="m-1")
    after = datetime.now(UTC)
    assert (out["status"], out["handoff"]) == (
        "awaiting_human",
        {"reason": "customer_asked", "unresolved": ["handoff"]},
    )
    listed = handoffs(client)[conversation]
    assert before <= datetime.fromisoformat(listed["since"]) <= after
    messages = read(client, conversation)["messages"]
    assert listed == {
        "conversation_id": conversation,
        "since": listed["since"],
        "reason": "customer_asked",
        "unresolved": ["handoff"],
        "last_customer_message": {"text": PERSON, "time": messages[0]["time"]},
        "writes": [],
    }
    view = read(client, conversation)
    assert (view["status"], view["pending_handoff"]) == (
        "awaiting_human",
        {"reason": "customer_asked", "unresolved": ["handoff"], "since": listed["since"]},
    )
    assert without_times(view["runs"]) == [
        {"workflow": "handoff", "status": "handed_off", "turn": 1, "message_id": "m-1",
         "handoff_reason": "customer_asked"},
    ]  # fmt: skip

    still = say(client, conversation, "hello? is anyone there?")  # the last customer message moves on
    assert still["status"] == "awaiting_human"
    assert handoffs(client)[conversation]["last_customer_message"]["text"] == "hello? is anyone there?"
    assert handoffs(client)[conversation]["since"] == listed["since"]  # still awaited since the first

    event(client, conversation, "human_reply", text="Hi, I am here.")
    assert conversation not in handoffs(client)  # a person replied: nobody is awaited
    view = read(client, conversation)
    assert (view["status"], view["pending_handoff"]) == ("human", None)


def test_that_a_handoff_after_a_refund_lists_the_refund_among_the_writes(
    client: TestClient, in_return_window: None
) -> None:
    conversation = new_conversation()
    say(client, conversation, RETURN_1001, message_id="m-1")
    say(client, conversation, "yes, please refund it", message_id="m-2")
    say(client, conversation, "I want to return order 1001 again and get a refund", message_id="m-3")
    listed = handoffs(client)[conversation]
    assert (listed["reason"], listed["unresolved"]) == ("already_refunded", ["returns_refunds"])
    assert without_times(listed["writes"]) == [
        {"workflow": "returns_refunds", "kind": "refund", "target": "#1001", "amount": "61.00", "currency": "USD",
         "result": "done", "error_code": None, "turn": 2, "message_id": "m-2"},
    ]  # fmt: skip
    assert listed["writes"] == read(client, conversation)["writes"]


def test_that_pages_of_one_return_every_conversation_once(client: TestClient) -> None:
    mine = [new_conversation() for _ in range(3)]
    for conversation in mine:
        say(client, conversation, PERSON)
    answered = new_conversation()
    say(client, answered, "where is my order 1001?")

    waiting = [
        r["conversation_id"] for r in pages(client, "/v1/handoffs", "handoffs", status="waiting", limit=1)
    ]
    assert len(waiting) == len(set(waiting))
    assert [c for c in waiting if c in mine] == mine  # oldest first
    assert answered not in waiting

    for status in (None, "awaiting_human"):
        params = {"limit": 1, **({"status": status} if status else {})}
        rows = list(pages(client, "/v1/conversations", "conversations", **params))
        ids = [r["conversation_id"] for r in rows]
        assert len(ids) == len(set(ids))
        assert [c for c in ids if c in mine] == mine
        assert (answered in ids) == (status is None)
    everything = {
        r["conversation_id"]: r for r in pages(client, "/v1/conversations", "conversations", limit=200)
    }
    assert {k: v for k, v in everything[answered].items() if k in ("conversation_id", "status")} == {
        "conversation_id": answered,
        "status": "ai",
    }
    ai_only = [r["conversation_id"] for r in pages(client, "/v1/conversations", "conversations", status="ai")]
    assert answered in ai_only
    assert not set(mine) & set(ai_only)


def test_that_a_brand_never_lists_another_brands_conversations(client: TestClient) -> None:
    acme_waiting = new_conversation()
    say(client, acme_waiting, PERSON)
    assert acme_waiting in handoffs(client)
    assert acme_waiting not in handoffs(client, GLOBEX)
    globex_rows = list(pages(client, "/v1/conversations", "conversations", GLOBEX, limit=200))
    assert acme_waiting not in [r["conversation_id"] for r in globex_rows]

    globex_waiting = new_conversation()
    say(
        client, globex_waiting, PERSON, headers=GLOBEX, customer={"id": "cus_bob", "email": "bob@example.com"}
    )
    assert globex_waiting in handoffs(client, GLOBEX)
    assert globex_waiting not in handoffs(client)
    acme_cursor = client.get("/v1/handoffs", params={"limit": 1}, headers=ACME).json()["next_cursor"]
    if acme_cursor:  # acme's cursor on globex's list pages globex's conversations only
        rows = client.get("/v1/handoffs", params={"cursor": acme_cursor}, headers=GLOBEX).json()["handoffs"]
        assert acme_waiting not in [r["conversation_id"] for r in rows]


@pytest.mark.parametrize(
    ("path", "params", "status", "detail"),
    [
        ("/v1/handoffs", {"status": "answered"}, 422, None),
        ("/v1/handoffs", {"limit": 0}, 422, None),
        ("/v1/handoffs", {"limit": 201}, 422, None),
        ("/v1/handoffs", {"cursor": "not-a-cursor"}, 400, "cursor is not one this API returned"),
        ("/v1/conversations", {"status": "waiting"}, 422, None),
        ("/v1/conversations", {"limit": "many"}, 422, None),
        ("/v1/conversations", {"cursor": "WyJ4Il0"}, 400, "cursor is not one this API returned"),
    ],
)
def test_that_a_bad_status_limit_or_cursor_is_refused_with_a_reason(
    client: TestClient, path: str, params: dict, status: int, detail: str | None
) -> None:
    response = client.get(path, params=params, headers=ACME)
    assert response.status_code == status, response.text
    if detail is None:
        assert response.json()["detail"][0]["loc"][0] == "query"
    else:
        assert response.json() == {"detail": detail}


def test_that_a_cursor_of_one_list_is_refused_by_the_other(client: TestClient) -> None:
    for _ in range(2):
        say(client, new_conversation(), PERSON)
    cursor = client.get("/v1/handoffs", params={"limit": 1}, headers=ACME).json()["next_cursor"]
    assert cursor
    response = client.get("/v1/conversations", params={"cursor": cursor}, headers=ACME)
    assert (response.status_code, response.json()) == (
        400,
        {"detail": "cursor was not returned by this list (conversations)"},
    )


def test_that_the_new_routes_and_fields_are_in_the_openapi_document(client: TestClient) -> None:
    document = client.app.openapi()  # type: ignore[attr-defined]
    assert {"/v1/handoffs", "/v1/conversations"} <= set(document["paths"])
    schemas = document["components"]["schemas"]
    assert {"status", "pending_handoff", "runs", "writes", "open_confirmation"} <= set(
        schemas["ConversationOut"]["properties"]
    )
    assert set(schemas["WaitingHandoffOut"]["properties"]) == {
        "conversation_id", "since", "reason", "unresolved", "last_customer_message", "writes",
    }  # fmt: skip
    assert schemas["WriteOut"]["properties"]["kind"]["enum"] == [
        "cancel",
        "refund",
        "address_change",
        "order_cancel",
        "exchange",
    ]
    assert schemas["WriteOut"]["properties"]["result"]["enum"] == ["done", "refused", "failed"]
