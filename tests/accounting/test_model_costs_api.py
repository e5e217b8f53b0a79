"""Model cost per brand over HTTP: every model call's tokens (the sandbox model's `usage`) at the brand's
price in the cost ledger beside the carrier lookups, and the automation report's cost lines."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal

from fastapi.testclient import TestClient

from accounting.costs import ModelCallCost
from sandbox.model.wire import tokens
from tests.utils.clock import set_clock
from tests.utils.conversations import ACME, event, say
from tests.utils.sandbox import Sandbox

NOV = {"from": "2026-11-01", "to": "2026-11-30"}
ACME_PRICE = (Decimal("0.00015"), Decimal("0.0006"))
"""acme's file sets no `model_price`: the default (gpt-4o-mini's list price, USD)."""
UPS_LOOKUP = Decimal("0.002")
"""acme's UPS `cost_per_lookup` (brands/acme.yaml)."""


def model_rows(client: TestClient, brand: str) -> list[ModelCallCost]:
    costs = client.app.state.service.costs  # type: ignore[attr-defined]
    return client.portal.call(costs.model_rows, brand)  # type: ignore[union-attr]


def prompt_tokens(body: dict) -> int:
    """What the sandbox model reports as a request's prompt tokens (its documented estimate)."""
    prompt = json.dumps(body.get("messages")) + (json.dumps(body["tools"]) if body.get("tools") else "")
    return tokens(len(prompt))


def priced(input_tokens: int, output_tokens: int) -> Decimal:
    per_in, per_out = ACME_PRICE
    exact = (input_tokens * per_in + output_tokens * per_out) / 1000
    return exact.quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)


def test_that_every_model_call_is_costed_for_its_brand_and_the_report_shows_model_and_carrier_cost(
    isolated_client: TestClient, sandbox: Sandbox
) -> None:
    client = isolated_client
    set_clock(client, datetime(2026, 11, 10, 9, 0, tzinfo=UTC))
    sandbox.admin("model", "DELETE", "requests")
    say(client, "costed-1", "where is my order 1001?")
    say(client, "costed-1", "my coffee maker broke, what about my order 1001")  # the router may ask the model
    event(client, "costed-1", "closed")
    requests = sandbox.admin("model", "GET", "requests").json()["requests"]
    chats = [r["body"] for r in requests if r["path"].endswith("/chat/completions")]

    rows = model_rows(client, "acme")
    assert len(rows) == len(chats) >= 2  # one row per call the model answered, none twice
    assert Counter(r.input_tokens for r in rows) == Counter(prompt_tokens(b) for b in chats)
    assert all(r.output_tokens > 0 for r in rows)
    assert {(r.thread_id, r.currency) for r in rows} == {("acme:costed-1", "USD")}
    # each row names its caller; the retrained router asks the model rarely, so "route" may be absent
    assert "order_status" in {r.workflow for r in rows} <= {"order_status", "route"}
    assert [r.cost for r in rows] == [priced(r.input_tokens, r.output_tokens) for r in rows]
    assert model_rows(client, "globex") == []

    body = client.get("/v1/reports/automation", params=NOV, headers=ACME).json()
    costs = body["costs"]
    model_total = sum((r.cost for r in rows), Decimal(0))
    assert (body["conversations"], body["automated"]) == (1, 1)
    assert costs["model"] == {
        "currency": "USD",
        "count": len(rows),
        "amount": float(model_total),
        "per_conversation": float(model_total),
        "per_automated_conversation": float(model_total),
        "input_tokens": sum(r.input_tokens for r in rows),
        "output_tokens": sum(r.output_tokens for r in rows),
    }
    lookups = costs["carrier"]["count"]
    assert lookups >= 1
    assert costs["carrier"]["amount"] == float(UPS_LOOKUP * lookups)
    total = model_total + UPS_LOOKUP * lookups
    assert costs["total"]["per_automated_conversation"] == float(total)
    assert costs["margin_per_automated_conversation"] == float(Decimal("0.90") - total)
    assert costs["other_currencies"] == []

    csv = client.get("/v1/reports/automation", params=NOV, headers={**ACME, "Accept": "text/csv"}).text
    assert f"model_amount,{model_total:.6f}" in csv.splitlines()
    december = client.get(
        "/v1/reports/automation", params={"from": "2026-12-01", "to": "2026-12-31"}, headers=ACME
    ).json()
    assert (december["costs"]["model"]["count"], december["costs"]["model"]["per_conversation"]) == (0, None)
