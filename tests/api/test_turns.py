"""One real turn end to end over HTTP, against the real sandbox servers, on SQLite and Postgres."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import ACME, new_conversation, say


def test_that_where_is_my_order_states_the_real_status_from_the_store(client: TestClient) -> None:
    conversation = new_conversation()
    out = say(client, conversation, "where is my order 1001?")
    assert out["intents"] == [{"name": "order_status", "confidence": 0.9}]
    assert out["workflows"] == [{"name": "order_status", "status": "resolved"}]
    assert out["handoff"] is None
    assert out["reply"] == (
        "Order #1001: payment paid; fulfilment fulfilled; shipped with UPS, tracking number "
        "1Z999AA10123456784, shipment status in transit."
    )
    convo = client.get(f"/v1/conversations/{conversation}", headers=ACME).json()
    assert [(m["author"], m["text"]) for m in convo["messages"]] == [
        ("customer", "where is my order 1001?"),
        ("ai", out["reply"]),
    ]
