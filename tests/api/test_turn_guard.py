"""An unexpected exception in a turn hands that conversation to a human; the service carries on."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from langgraph.graph import START, StateGraph

from api.app import create_app
from config.settings import Settings
from service.turns import INTERNAL_ERROR_REPLY
from tests.utils.conversations import ACME, new_conversation, say
from workflows.kit.subgraph import WorkflowInput, WorkflowOutput
from workflows.registry import REGISTRY
from workflows.spec import Workflow


class WorkflowBug(RuntimeError):
    pass


def _explode(state: WorkflowInput) -> dict[str, Any]:
    raise WorkflowBug("a bad line in the order-status workflow")


def raising_workflow():
    builder = StateGraph(WorkflowInput, output_schema=WorkflowOutput)
    builder.add_node("explode", _explode)
    builder.add_edge(START, "explode")
    return builder.compile(name="order_status")


@pytest.fixture
def broken_client(settings: Settings) -> Iterator[TestClient]:
    broken = Workflow(
        name="order_status",
        router=REGISTRY["order_status"].router,
        build=lambda _spec: raising_workflow(),
    )
    with TestClient(create_app(settings, REGISTRY.with_workflows(broken))) as c:
        yield c


def test_that_a_raising_workflow_hands_the_conversation_to_a_human_and_keeps_the_message(
    broken_client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    conversation = new_conversation()
    with caplog.at_level(logging.ERROR, logger="service.turns"):
        out = say(broken_client, conversation, "where is my order 1001?")
    assert out["handoff"] == {"reason": "internal_error", "unresolved": []}
    assert out["reply"] == INTERNAL_ERROR_REPLY
    assert any("WorkflowBug: a bad line" in (r.exc_text or "") for r in caplog.records)
    messages = broken_client.get(f"/v1/conversations/{conversation}", headers=ACME).json()["messages"]
    assert [(m["author"], m["text"]) for m in messages] == [
        ("customer", "where is my order 1001?"),
        ("ai", INTERNAL_ERROR_REPLY),
    ]


def test_that_the_next_request_after_a_failed_turn_works(broken_client: TestClient) -> None:
    say(broken_client, new_conversation(), "where is my order 1001?")
    out = say(broken_client, new_conversation(), "please cancel my subscription sub_501")
    assert out["workflows"] == [{"name": "cancel_subscription", "status": "waiting"}]
    assert out["handoff"] is None
