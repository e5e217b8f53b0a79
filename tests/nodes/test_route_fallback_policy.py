"""The fallback policy of `route` (issue 17): the model adds or confirms, never removes; down or slow,
the classifier's reading stands; a request for a person is always handed off; a message in a
language the brand does not serve is handed off with reason `language`; an order number with no
clear ask is an order-status ask; a subscription id with no clear ask gets the question about it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from langgraph.runtime import Runtime
from langgraph.types import Send

from brands.context import BrandContext
from nodes.compose import clarifying_question
from nodes.route import ADD_FLOOR, REMOVE_BELOW, dispatch, route, with_model_labels
from routing.classifier import Span
from routing.person import person_request
from routing.reading import Intent, Reading, probability_of, read_message, refused_labels
from state.schema import TurnState
from tests.utils.readings import model_worthy
from tests.utils.sandbox import Sandbox
from tools.http import aclose_clients
from workflows.registry import REGISTRY


@pytest.fixture
async def model(sandbox: Sandbox) -> AsyncIterator[Sandbox]:
    yield sandbox
    await aclose_clients()
    sandbox.admin("model", "POST", "mode", {"mode": "normal"})


def turn(text: str) -> TurnState:
    return TurnState(turn=1, clean_text=text, runs={})


def acme(**changes: object) -> BrandContext:
    config = BrandContext(brand_id="acme").brand.model_copy(update=changes)
    return BrandContext(brand_id="acme", config=config)


def ask(name: str, position: int = 0, confidence: float = 1.0) -> Intent:
    return Intent(name=name, confidence=confidence, entities={}, position=position)


def names(out: dict) -> list[str]:
    return [i["name"] for i in out["intents"]]


def doubtful(text: str, intents: list[Intent]) -> Reading:
    """A reading of `text` whose every part is doubtful, with these asks."""
    whole = Span("none", 0.4, 0, len(text), 0.0)
    return Reading(text, [whole], intents, [whole], None)


def test_that_the_thresholds_are_the_documented_ones() -> None:
    assert (REMOVE_BELOW, ADD_FLOOR) == (0.5, 0.5)


def test_that_the_model_adds_an_ask_the_classifier_gives_at_least_the_floor() -> None:
    text = "where is my order 1001"
    assert probability_of(text, "order_status", REGISTRY.router) >= ADD_FLOOR
    added = with_model_labels(doubtful(text, []), ["order_status"])
    assert [(i["name"], i["position"]) for i in added] == [("order_status", 0)]
    assert added[0]["confidence"] >= ADD_FLOOR


def test_that_the_model_cannot_add_an_ask_nobody_made() -> None:
    text = "where is my order 1001"
    assert probability_of(text, "cancel_subscription", REGISTRY.router) < ADD_FLOOR
    assert with_model_labels(doubtful(text, []), ["cancel_subscription"]) == []


def test_that_the_model_cannot_remove_an_ask_at_half_or_above() -> None:
    text = "I want to speak to a human agent, not a bot"
    kept = ask("handoff", 0, REMOVE_BELOW)
    assert with_model_labels(doubtful(text, [kept]), []) == [kept]
    assert with_model_labels(doubtful(text, [kept]), ["other"]) == [kept]  # "other" gets < the floor here


def test_that_the_model_may_remove_a_doubtful_ask_below_half() -> None:
    text = "my coffee maker broke, what about my order"
    weak = ask("other", 0, REMOVE_BELOW - 0.01)
    assert with_model_labels(doubtful(text, [weak]), []) == []
    assert with_model_labels(doubtful(text, [weak]), ["other"]) == [weak]  # named: confirmed


def test_that_the_model_cannot_add_an_ask_the_customer_refuses() -> None:
    text = "I do not want a refund and I do not want store credit"
    assert probability_of(text, "returns_refunds", REGISTRY.router) >= ADD_FLOOR
    assert with_model_labels(doubtful(text, []), ["returns_refunds"]) == []
    asked = "I want a refund and I do not want store credit"  # the refund asked for, not refused
    assert probability_of(asked, "returns_refunds", REGISTRY.router) >= ADD_FLOOR
    added = with_model_labels(doubtful(asked, []), ["returns_refunds"])
    assert [i["name"] for i in added] == ["returns_refunds"]


@pytest.mark.parametrize(
    ("text", "refused"),
    [
        (
            "I'd like to exchange my grinder for the same model in red, I'm not after a refund.",
            {"returns_refunds"},
        ),
        (
            "I would just like to change the shipping address on order 1002. Please do not cancel it.",
            {"cancel_order"},
        ),
        ("I don't want to cancel my subscription, just pause it", {"cancel_subscription"}),
        ("not received my refund yet, where is it", set()),
        ("I don't want to wait, cancel order 1002", set()),
    ],
)
def test_that_the_asks_a_clause_refuses_are_listed(text: str, refused: set[str]) -> None:
    assert refused_labels(text, REGISTRY.router) == refused


@pytest.mark.parametrize(
    ("text", "asked"),
    [
        (
            "I'd like to exchange my grinder for the same model in red, if that's alright, I'm not after a refund.",
            ["exchange_item"],
        ),
        (
            "Dear Sir or Madam,\n\nI was going to cancel order #1002 altogether, but actually I would just like "
            "to change the shipping address to my office: 220 Queen Street, 3rd floor, Auckland 1010. Please do "
            "not cancel it.\n\nThank you,\nHemi Walker",
            ["address_change"],
        ),
    ],
)
async def test_that_the_stand_in_never_adds_an_ask_the_customer_refuses(
    model: Sandbox, text: str, asked: list[str]
) -> None:
    out = await route(turn(text), REGISTRY, acme())
    assert model.model_requests()  # the model was asked, and named the refused ask
    assert names(out) == asked


async def test_that_a_model_that_is_down_leaves_the_classifiers_reading(model: Sandbox) -> None:
    text = model_worthy()
    model.admin("model", "POST", "mode", {"mode": "down"})
    out = await route(turn(text))
    assert model.model_requests()  # the model was asked
    assert out["intents"] == read_message(text).intents


async def test_that_a_slow_model_leaves_the_classifiers_reading(
    model: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = model_worthy()
    monkeypatch.setenv("SUPPORT_ROUTER_MODEL_TIMEOUT_S", "0.2")
    model.admin("model", "POST", "mode", {"mode": "slow", "delay_ms": 3000})
    out = await route(turn(text))
    assert model.model_requests()
    assert out["intents"] == read_message(text).intents


@pytest.mark.parametrize(
    "text",
    [
        "I want to speak to a human agent, not a bot",
        "get me a manager",
        "I don't want to chat with a bot. Person please.",
        "is anyone real there??",
        "put me thru to ur supervisor",
        "where is my order 1001 and can i talk to an actual person",
        "refund the mug pls. human please",
        "call me at 555 0134 please",
        "can someone ring me back on 07700 900123?",
        "could you give me a call, it's easier",
        "i dont wanna chat with the robot",
        "could an actual person check my refund please",
        "HUMAN. NOW. I want my money back for 1004",
        "where is 1001?? Agent!",
        "hi agent",
        "hello, human?",
        "where is order 1001? also hi agent",
        "ok where is 1002 and hello human",
    ],
)
async def test_that_a_request_for_a_person_is_always_handed_off(model: Sandbox, text: str) -> None:
    out = await route(turn(text), REGISTRY, acme())
    assert "handoff" in names(out)


@pytest.mark.parametrize(
    "text",
    ["Hallo, wo ist meine Bestellung 1001?", "¿Dónde está mi pedido 1001?", "je veux annuler mon abonnement"],
)
async def test_that_a_language_the_brand_does_not_serve_is_handed_off_for_it(
    model: Sandbox, text: str
) -> None:
    out = await route(turn(text), REGISTRY, acme())
    assert [(i["name"], i.get("handoff_reason")) for i in out["intents"]] == [("handoff", "language")]
    assert model.model_requests() == []  # decided before any reading, no model call
    sent = dispatch({**turn(text), **out}, Runtime(context=acme()))
    assert isinstance(sent, list)
    assert [(s.node, s.arg["reason"]) for s in sent if isinstance(s, Send)] == [("handoff", "language")]


@pytest.mark.parametrize(
    "text", ["Bonjour", "Hola!", "Guten Tag", "Buongiorno !", "bom dia", "danke", "ciao", "Merci beaucoup !"]
)
async def test_that_a_short_greeting_in_a_language_the_brand_does_not_serve_is_handed_off_for_it(
    model: Sandbox, text: str
) -> None:
    out = await route(turn(text), REGISTRY, acme())
    assert [(i["name"], i.get("handoff_reason")) for i in out["intents"]] == [("handoff", "language")]
    served = await route(turn(text), REGISTRY, acme(languages=("en", "fr", "es", "de", "it", "pt")))
    assert all(i.get("handoff_reason") != "language" for i in served["intents"])


@pytest.mark.parametrize(
    "text",
    [
        "the courier did not call me",
        "you can call me Sam",
        "the driver was supposed to ring me",
        "hi",
        "hello",
        "I spoke to an agent. He said it shipped",
        "the person. who packed it forgot the lid",
    ],
)
def test_that_being_called_is_a_request_for_a_person_only_when_asked_for(text: str) -> None:
    assert person_request(text) is None
    assert person_request(f"{text}. call me on 555 0134 please") is not None


async def test_that_a_served_language_is_routed_not_handed_off_for_it(model: Sandbox) -> None:
    out = await route(turn("Hallo, wo ist meine Bestellung 1001?"), REGISTRY, acme(languages=("en", "de")))
    assert all(i.get("handoff_reason") != "language" for i in out["intents"])


@pytest.mark.parametrize(
    "text", ["ok thanks", "wheres my ordr 1001 plz", "cancel sub_501 asap", "do u accept klarna", "ok merci"]
)
async def test_that_short_or_english_text_is_never_handed_off_for_its_language(
    model: Sandbox, text: str
) -> None:
    out = await route(turn(text), REGISTRY, acme())
    assert all(i.get("handoff_reason") != "language" for i in out["intents"])


@pytest.mark.parametrize("text", ["any update on 1001", "did 1002 ship yet", "#1002", "order 1001?"])
async def test_that_an_order_number_with_no_clear_ask_is_an_order_status_ask(
    model: Sandbox, text: str
) -> None:
    out = await route(turn(text), REGISTRY, acme())
    assert names(out) == ["order_status"]


async def test_that_a_subscription_id_with_no_clear_ask_is_asked_about(model: Sandbox) -> None:
    out = await route(turn("sub_501?"), REGISTRY, acme())
    assert out["intents"] == []
    assert "sub_501" in clarifying_question("sub_501?")
    assert "sub_501" not in clarifying_question("hello")


@pytest.mark.parametrize(
    "text", ["HUMAN. NOW. I want my money back for 1004", "where is 1001?? Agent!", "Manager."]
)
def test_that_a_sentence_naming_only_the_person_is_a_request_for_one(text: str) -> None:
    """The floor under the classifier: a sentence that is only "HUMAN." asks for one."""
    assert person_request(text) is not None
