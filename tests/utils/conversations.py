"""Driving the API as a brand's integration does: keys, customers, a message, an event."""

from __future__ import annotations

import uuid

from fastapi.testclient import TestClient

ACME = {"Authorization": "Bearer acme-dev-key"}
GLOBEX = {"Authorization": "Bearer globex-dev-key"}
METRICS_TOKEN = "test-metrics-token"
"""The metrics token of the test apps (`SUPPORT_METRICS_TOKEN`); `METRICS` is its header."""
METRICS = {"Authorization": f"Bearer {METRICS_TOKEN}"}
ALICE = {"id": "cus_alice", "email": "alice@example.com", "verified": True}
"""alice, signed in by acme's integration: her writes may run."""
BOB = {"id": "cus_bob", "email": "bob@example.com", "verified": True}
CAROL = {"id": "cus_carol", "email": "carol@example.com", "verified": True}
"""carol: order #1003 delivered, subscription sub_502 already cancelled: nothing open to cancel."""
VISITOR_AS_ALICE = {"id": "visitor-1", "email": "alice@example.com"}
"""A visitor who typed alice's email into a chat widget: not signed in (`verified` absent, so false)."""


def new_conversation() -> str:
    return f"c-{uuid.uuid4().hex[:12]}"


def say(
    client: TestClient,
    conversation: str,
    text: str,
    *,
    headers: dict = ACME,
    customer: dict = ALICE,
    message_id: str | None = None,
) -> dict:
    body = {"message_id": message_id or f"m-{uuid.uuid4().hex[:8]}", "text": text, "customer": customer}
    response = client.post(f"/v1/conversations/{conversation}/messages", json=body, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def event(
    client: TestClient,
    conversation: str,
    kind: str,
    *,
    text: str | None = None,
    event_id: str | None = None,
    headers: dict = ACME,
) -> dict:
    body = {
        "event_id": event_id or f"e-{uuid.uuid4().hex[:8]}",
        "type": kind,
        "author": "agent_7",
        "text": text,
    }
    response = client.post(f"/v1/conversations/{conversation}/events", json=body, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()
