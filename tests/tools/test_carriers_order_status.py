"""Order status over HTTP with live tracking: the reply, the cost ledger, the turn's state."""

from __future__ import annotations

from decimal import Decimal

from fastapi.testclient import TestClient
from langchain_core.messages import ToolMessage

from accounting.costs import LookupCost
from tests.utils.conversations import BOB, GLOBEX, new_conversation, say
from tests.utils.sandbox import Sandbox

ORDER_1001 = (
    "Order #1001: payment paid; fulfilment fulfilled; shipped with UPS, tracking number "
    "1Z999AA10123456784, shipment status in transit.\n"
    'UPS tracking 1Z999AA10123456784: in transit. Last event: "Arrived at Facility" at Scarborough, '
    "ME, US on 2026-11-12 06:40 (UTC-05:00). Estimated delivery: 2026-11-13."
)
ORDER_2001 = (
    "Order #2001: payment paid; fulfilment fulfilled; shipped with Royal Mail, tracking number "
    "RB123456785GB, shipment status in transit.\n"
    'Royal Mail tracking RB123456785GB: in transit. Last event: "Item in transit" at London Central Mail Centre, '
    "GB on 2026-11-14 05:18 (UTC). Estimated delivery: 2026-11-15."
)


def ledger_rows(client: TestClient, brand: str, conversation: str) -> list[LookupCost]:
    """The brand's rows for one conversation (the Postgres database lives for the whole session)."""
    costs = client.app.state.service.costs  # type: ignore[attr-defined]
    return client.portal.call(costs.rows, brand, f"{brand}:{conversation}")  # type: ignore[union-attr]


def tool_artifacts(client: TestClient, thread: str) -> list[object]:
    graph = client.app.state.service.graph  # type: ignore[attr-defined]
    state = client.portal.call(graph.aget_state, {"configurable": {"thread_id": thread}}).values  # type: ignore[union-attr]
    transcript = state["runs"]["order_status"]["transcript"]
    return [m.artifact for m in transcript if isinstance(m, ToolMessage)]


def test_that_acme_order_1001_is_answered_from_native_ups_and_costed_once(
    client: TestClient, sandbox: Sandbox
) -> None:
    conversation = new_conversation()
    out = say(client, conversation, "where is my order 1001?")
    assert (out["reply"], out["workflows"]) == (ORDER_1001, [{"name": "order_status", "status": "resolved"}])
    [row] = ledger_rows(client, "acme", conversation)
    assert (row.thread_id, row.carrier, row.via, row.tracking_number, row.outcome, row.cost, row.currency) == (
        f"acme:{conversation}", "ups", "native", "1Z999AA10123456784", "found", Decimal("0.002"), "USD",
    )  # fmt: skip
    [artifact] = tool_artifacts(client, f"acme:{conversation}")
    assert artifact["lookups"] == [{
        "tracking_number": "1Z999AA10123456784", "carrier": "ups", "via": "native", "outcome": "found",
        "cost": 0.002, "currency": "USD",
    }]  # fmt: skip
    # the third-party texts the result carried, for the reply guard: no secret, no cost, nothing else
    assert set(artifact) == {"lookups", "untrusted"}
    assert {u["kind"] for u in artifact["untrusted"]} == {"name", "address", "title", "carrier_event"}
    assert sandbox.admin("aggregator", "GET", "requests").json()["requests"] == []
    assert ledger_rows(client, "globex", conversation) == []


def test_that_globex_order_2001_is_answered_through_the_aggregator_at_its_price(
    client: TestClient, sandbox: Sandbox
) -> None:
    conversation = new_conversation()
    out = say(client, conversation, "where is my order 2001?", headers=GLOBEX, customer=BOB)
    assert (out["reply"], out["workflows"]) == (ORDER_2001, [{"name": "order_status", "status": "resolved"}])
    assert [
        (r.brand_id, r.thread_id, r.carrier, r.via, r.cost)
        for r in ledger_rows(client, "globex", conversation)
    ] == [("globex", f"globex:{conversation}", "royal_mail", "aggregator", Decimal("0.05"))]
    assert ledger_rows(client, "acme", conversation) == []


def test_that_a_carrier_outage_still_answers_the_order_and_costs_nothing(
    client: TestClient, sandbox: Sandbox
) -> None:
    sandbox.admin("ups", "POST", "mode", {"mode": "down", "retry_after": 0})
    conversation = new_conversation()
    out = say(client, conversation, "where is my order 1001?")
    assert out["workflows"] == [{"name": "order_status", "status": "resolved"}]
    assert out["reply"].endswith("\nUPS tracking 1Z999AA10123456784: live tracking is unavailable right now.")
    assert [(r.via, r.outcome, r.cost) for r in ledger_rows(client, "acme", conversation)] == [
        ("native", "error", Decimal(0))
    ]


def test_that_a_replayed_message_makes_no_second_lookup(client: TestClient, sandbox: Sandbox) -> None:
    conversation = new_conversation()
    first = say(client, conversation, "where is my order 1001?", message_id="m-once")
    again = say(client, conversation, "where is my order 1001?", message_id="m-once")
    assert again == first
    assert len(ledger_rows(client, "acme", conversation)) == 1
