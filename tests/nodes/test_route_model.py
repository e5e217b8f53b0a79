"""The model fallback of `route`, against the real sandbox model: asked only when the classifier is unsure."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from nodes.route import route
from routing.reading import read_message
from state.schema import TurnState, new_run
from tests.utils.readings import doubtful_no_ask
from tests.utils.sandbox import Sandbox
from tools.http import aclose_clients
from workflows.registry import REGISTRY

DOUBTFUL = "my coffee maker broke, what about my order"


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
    out = await route(turn(DOUBTFUL))
    requests = model.model_requests()
    assert len(requests) == 1
    body = requests[0]["body"]
    assert body["response_format"]["type"] == "json_schema"
    schema = body["response_format"]["json_schema"]["schema"]
    assert schema["properties"]["intents"]["items"]["enum"][0] == "none"
    assert [m["role"] for m in body["messages"]] == ["system", "user"]
    assert body["messages"][0]["content"] == REGISTRY.router_prompt()
    assert body["messages"][1]["content"] == DOUBTFUL
    # the sandbox names the labels sharing a word with the text: the doubtful "other" is dropped
    by_classifier = {i["name"]: i for i in read_message(DOUBTFUL).intents}
    assert set(by_classifier) == {"other", "order_status"}
    assert out == {"intents": [by_classifier["order_status"]]}
    assert out["intents"][0]["position"] == DOUBTFUL.index("what")


async def test_that_a_model_that_is_down_leaves_the_classifiers_reading(model: Sandbox) -> None:
    model.admin("model", "POST", "mode", {"mode": "down"})
    out = await route(turn(DOUBTFUL))
    assert len(model.model_requests()) == 1
    assert out["intents"] == read_message(DOUBTFUL).intents  # exactly the classifier's reading
    assert [(i["name"], i["position"]) for i in out["intents"]] == [("other", 0), ("order_status", 23)]


async def test_that_a_doubtful_answer_to_a_waiting_workflow_asks_no_model(model: Sandbox) -> None:
    runs = {"order_status": {**new_run("order_status"), "turn": 1}}
    out = await route(turn(doubtful_no_ask(), runs=runs))
    assert [(i["name"], i["confidence"]) for i in out["intents"]] == [("order_status", 1.0)]
    assert model.model_requests() == []
