"""The model fallback of `route`, against the real sandbox model: asked only when the classifier is unsure."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from nodes.route import route
from routing.reading import read_message
from state.schema import TurnState, new_run
from tests.utils.readings import doubtful_no_ask, model_worthy
from tests.utils.sandbox import Sandbox
from tools.http import aclose_clients
from workflows.registry import REGISTRY


@pytest.fixture
async def model(sandbox: Sandbox) -> AsyncIterator[Sandbox]:
    yield sandbox
    await aclose_clients()


def turn(text: str, runs: dict | None = None) -> TurnState:
    return TurnState(turn=1, clean_text=text, runs=runs or {})


async def test_that_a_confident_reading_makes_no_model_call(model: Sandbox) -> None:
    out = await route(turn("my order never arrived cancel my subscription"))
    assert [i["name"] for i in out["intents"]] == ["order_status", "cancel_subscription"]
    assert model.model_requests() == []


async def test_that_a_doubtful_reading_asks_the_model_once_for_structured_labels(model: Sandbox) -> None:
    text = model_worthy()
    out = await route(turn(text))
    requests = model.model_requests()
    assert len(requests) == 1
    body = requests[0]["body"]
    assert body["response_format"]["type"] == "json_schema"
    schema = body["response_format"]["json_schema"]["schema"]
    assert schema["properties"]["intents"]["items"]["enum"][0] == "none"
    assert [m["role"] for m in body["messages"]] == ["system", "user"]
    assert body["messages"][0]["content"] == REGISTRY.router_prompt()
    assert body["messages"][1]["content"] == text
    # whatever the stand-in answered, no classifier ask at 0.5 or more is gone
    firm = {i["name"] for i in read_message(text).intents if i["confidence"] >= 0.5}
    assert firm <= {i["name"] for i in out["intents"]}


async def test_that_a_model_that_is_down_leaves_the_classifiers_reading(model: Sandbox) -> None:
    text = model_worthy()
    model.admin("model", "POST", "mode", {"mode": "down"})
    out = await route(turn(text))
    assert len(model.model_requests()) == 1
    assert out["intents"] == read_message(text).intents  # exactly the classifier's reading


async def test_that_a_doubtful_answer_to_a_waiting_workflow_asks_no_model(model: Sandbox) -> None:
    runs = {"order_status": {**new_run("order_status"), "turn": 1}}
    out = await route(turn(doubtful_no_ask(), runs=runs))
    assert [(i["name"], i["confidence"]) for i in out["intents"]] == [("order_status", 1.0)]
    assert model.model_requests() == []


async def test_that_a_confident_request_for_a_person_makes_no_model_call(model: Sandbox) -> None:
    out = await route(turn("I want to speak to a human agent, not a bot"))
    assert [i["name"] for i in out["intents"]] == ["handoff"]
    assert model.model_requests() == []
