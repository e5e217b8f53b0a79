"""One real turn end to end over HTTP, against the real sandbox servers, on SQLite and Postgres."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.utils.conversations import ACME, BOB, GLOBEX, new_conversation, say
from tests.utils.sandbox import Sandbox


def test_that_where_is_my_order_states_the_real_status_from_the_store(client: TestClient) -> None:
    conversation = new_conversation()
    out = say(client, conversation, "where is my order 1001?")
    assert [i["name"] for i in out["intents"]] == ["order_status"]
    assert out["intents"][0]["confidence"] >= 0.9  # calibrated: sure, not certain
    assert out["workflows"] == [{"name": "order_status", "status": "resolved"}]
    assert out["handoff"] is None
    assert out["reply"] == (
        "Order #1001: payment paid; fulfilment fulfilled; shipped with UPS, tracking number "
        "1Z999AA10123456784, shipment status in transit.\n"
        'UPS tracking 1Z999AA10123456784: in transit. Last event: "Arrived at Facility" at Scarborough, '
        "ME, US on 2026-11-12 06:40 (UTC-05:00). Estimated delivery: 2026-11-13."
    )
    convo = client.get(f"/v1/conversations/{conversation}", headers=ACME).json()
    assert [(m["author"], m["text"]) for m in convo["messages"]] == [
        ("customer", "where is my order 1001?"),
        ("ai", out["reply"]),
    ]


def test_that_two_intents_run_two_workflows_in_one_turn_and_one_reply_covers_both(client: TestClient) -> None:
    out = say(client, new_conversation(), "where is my order 1001, and please cancel my subscription sub_501")
    assert [i["name"] for i in out["intents"]] == ["order_status", "cancel_subscription"]
    assert sorted((w["name"], w["status"]) for w in out["workflows"]) == [
        ("cancel_subscription", "waiting"),
        ("order_status", "resolved"),
    ]
    order_part, sub_part = out["reply"].split("\n\n")
    assert order_part.startswith("Order #1001: payment paid")
    assert sub_part == (
        "Subscription sub_501 (Coffee Club): status active, 29.00 every 1 month, next charge 2026-12-01. "
        "Before you go: we can give you 50% off your next two deliveries if you stay (the discount applies "
        "to the next two charges, then the usual price resumes; you can cancel any time). Would you like "
        "that instead, or shall I cancel?"
    )
    assert out["handoff"] is None


def test_that_an_intent_the_brand_has_not_enabled_is_handed_off_and_the_rest_answered(
    client: TestClient,
) -> None:
    out = say(
        client,
        new_conversation(),
        "where is my order 2001? also cancel my subscription sub_9",
        headers=GLOBEX,
        customer=BOB,
    )
    assert ("order_status", "resolved") in [(w["name"], w["status"]) for w in out["workflows"]]
    assert ("handoff", "handed_off") in [(w["name"], w["status"]) for w in out["workflows"]]
    assert out["handoff"] == {"reason": "not_enabled", "unresolved": ["cancel_subscription"]}
    assert out["reply"].startswith("Order #2001: payment paid; fulfilment fulfilled; shipped with Royal Mail")


def test_that_another_customers_order_is_not_found_even_when_asked_by_number(client: TestClient) -> None:
    out = say(client, new_conversation(), "where is my order 1003?")
    assert out["workflows"] == [{"name": "order_status", "status": "waiting"}]
    assert "order 1003 was not found" in out["reply"]
    assert not out["reply"].startswith("Error")  # the tool's error text is for the model
    assert "USPS" not in out["reply"]


def test_that_a_workflow_waiting_for_the_order_number_gets_the_next_answer(
    client: TestClient, sandbox: Sandbox
) -> None:
    conversation = new_conversation()
    first = say(client, conversation, "where is my package?")
    assert first["workflows"] == [{"name": "order_status", "status": "waiting"}]
    assert first["reply"] == "Could you tell me the order number, e.g. 1001?"
    second = say(client, conversation, "it is #1001")
    assert second["intents"] == [{"name": "order_status", "confidence": 1.0}]
    assert second["workflows"] == [{"name": "order_status", "status": "resolved"}]
    assert second["reply"].startswith("Order #1001: payment paid")


def test_that_the_workflow_instructions_come_first_in_every_model_call_on_turn_three(
    client: TestClient, sandbox: Sandbox
) -> None:
    conversation = new_conversation()
    say(client, conversation, "where is my package?")
    say(client, conversation, "it is 1002")
    sandbox.admin("model", "DELETE", "requests")
    say(client, conversation, "and where is my order 1001?")
    requests = sandbox.model_requests()
    assert len(requests) == 2  # the tool call, then the answer from its result
    for request in requests:
        first = request["body"]["messages"][0]
        assert first["role"] == "system"
        assert first["content"].startswith("You are the order-status workflow")
        assert [m["role"] for m in request["body"]["messages"]].count("system") == 1
    history = [m.get("content") for m in requests[0]["body"]["messages"]]
    assert history[1:3] == ["where is my package?", "Could you tell me the order number, e.g. 1001?"]
