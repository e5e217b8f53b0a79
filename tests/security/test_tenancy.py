"""The cross-tenant matrix (tier one): every brand-scoped endpoint x the other brand's key.

Conversation ids are the brand's own namespace (thread `<brand>:<id>`): with globex's key, acme's
conversation id names globex's conversation, never acme's. So a read of it is 404 (nothing leaks,
not even that acme has one), and a write lands on globex's own thread: acme's transcript, segment
and report stay byte-for-byte the same, and no acme text comes back. The lists (`GET /v1/handoffs`,
`GET /v1/conversations`) never name an acme conversation. A cell "succeeds" when the other brand's key
reads or changes anything of acme's. Run with -s to see the matrix.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient

from tests.utils.clock import set_clock
from tests.utils.conversations import ACME, ALICE, BOB, GLOBEX, new_conversation, say

ACME_TEXT = "where is my order 1001?"
LISTS = ("/v1/handoffs", "/v1/conversations")


def _snapshot(client: TestClient, conversation: str, window: dict) -> dict:
    """Everything acme can see of its data: the conversation and its report (JSON and CSV)."""
    report = client.get("/v1/reports/automation", params=window, headers=ACME)
    csv = client.get("/v1/reports/automation", params=window, headers={**ACME, "Accept": "text/csv"})
    return {
        "conversation": client.get(f"/v1/conversations/{conversation}", headers=ACME).json(),
        "report": report.json(),
        "csv": csv.text,
        "lists": [client.get(path, params={"limit": 200}, headers=ACME).json() for path in LISTS],
    }


def test_that_the_other_brands_key_reads_and_changes_nothing_of_acmes_on_any_endpoint(
    client: TestClient,
) -> None:
    # One instant for the whole matrix: the report's unanswered-handoff line ages with the clock,
    # and the shared database may hold acme handoffs other tests left open.
    today = set_clock(client, datetime.now(UTC)).now.date()
    window = {"from": str(today - timedelta(days=1)), "to": str(today + timedelta(days=1))}
    conversation = new_conversation()
    globex_report_before = client.get("/v1/reports/automation", params=window, headers=GLOBEX).json()
    turn = {"message_id": "m-acme-1", "text": ACME_TEXT, "customer": ALICE}
    acme_turn = client.post(f"/v1/conversations/{conversation}/messages", json=turn, headers=ACME).json()
    event = {
        "event_id": "e-acme-1",
        "type": "human_reply",
        "author": "agent-7",
        "text": "Acme here: on its way.",
    }
    assert (
        client.post(f"/v1/conversations/{conversation}/events", json=event, headers=ACME).status_code == 200
    )
    waiting = new_conversation()  # an acme conversation awaiting a person
    assert say(client, waiting, "I want to talk to a human")["status"] == "awaiting_human"
    acme_before = _snapshot(client, conversation, window)
    assert acme_before["conversation"]["segment"] == "ai_and_human"
    assert acme_before["report"]["conversations"] >= 1
    acme_secrets = [acme_turn["reply"], "Acme here: on its way.", "1Z999AA10123456784"]

    path = f"/v1/conversations/{conversation}"
    window_csv = {"Accept": "text/csv"}
    attempts = {
        ("GET", "/v1/conversations/{conversation_id}"): lambda: client.get(path, headers=GLOBEX),
        ("GET", "/v1/conversations"): lambda: client.get("/v1/conversations", headers=GLOBEX),
        ("GET", "/v1/handoffs"): lambda: client.get("/v1/handoffs", headers=GLOBEX),
        ("GET", "/v1/reports/automation"): lambda: client.get(
            "/v1/reports/automation", params=window, headers=GLOBEX
        ),
        ("GET", "/v1/reports/automation (csv)"): lambda: client.get(
            "/v1/reports/automation", params=window, headers={**GLOBEX, **window_csv}
        ),
        ("POST", "/v1/conversations/{conversation_id}/messages"): lambda: client.post(
            f"{path}/messages", json={**turn, "customer": BOB}, headers=GLOBEX
        ),  # acme's message_id and text: a replay would hand back acme's stored reply
        ("POST", "/v1/conversations/{conversation_id}/events"): lambda: client.post(
            f"{path}/events", json={**event, "type": "closed", "text": None}, headers=GLOBEX
        ),  # acme's event_id: a replay would hand back acme's segment
        ("DELETE", "/v1/customers/{customer_id}"): lambda: client.delete(
            "/v1/customers/cus_alice", headers=GLOBEX
        ),  # acme's customer: globex has no conversation of hers to erase
    }
    paths = client.app.openapi()["paths"]  # type: ignore[attr-defined]
    routes = {
        (method.upper(), path) for path, ops in paths.items() if path.startswith("/v1/") for method in ops
    }
    assert routes == {key for key in attempts if "(csv)" not in key[1]}, "a /v1 route has no cell"

    rows = []
    for (method, route), attempt in attempts.items():
        response = attempt()
        leaked = [s for s in acme_secrets if s in response.text] + (
            ["acme"] if '"acme"' in response.text else []
        )
        if route in LISTS:  # a list names no acme conversation (the POSTs echo globex's own of that id)
            leaked += [c for c in (conversation, waiting) if c in response.text]
        changed = _snapshot(client, conversation, window) != acme_before
        rows.append((f"{method} {route}", response.status_code, leaked, changed))
    print(f"\n{'endpoint (globex key, acme conversation id)':<50} | status | acme data leaked | acme changed")
    for name, status, leaked, changed in rows:
        print(f"{name:<50} | {status:>6} | {leaked or 'none':<16} | {changed}")
    successes = [r for r in rows if r[2] or r[3]]
    print(f"successes: {len(successes)} of {len(rows)}")

    assert successes == []
    assert [(name, status) for name, status, _, _ in rows] == [
        ("GET /v1/conversations/{conversation_id}", 404),  # before globex has one of that id
        ("GET /v1/conversations", 200),
        ("GET /v1/handoffs", 200),
        ("GET /v1/reports/automation", 200),
        ("GET /v1/reports/automation (csv)", 200),
        ("POST /v1/conversations/{conversation_id}/messages", 200),  # globex's own thread
        ("POST /v1/conversations/{conversation_id}/events", 200),  # globex's own thread
        ("DELETE /v1/customers/{customer_id}", 200),  # erased nothing: zeros
    ]
    globex_view = client.get(path, headers=GLOBEX).json()  # globex's own conversation of that id
    assert next((m["author"], m["text"]) for m in globex_view["messages"]) == ("customer", ACME_TEXT)
    assert all(m["text"] not in acme_secrets for m in globex_view["messages"])
    globex_report = client.get("/v1/reports/automation", params=window, headers=GLOBEX).json()
    assert globex_report["brand"] == "globex"
    assert globex_report["conversations"] == globex_report_before["conversations"] + 1  # only its own
