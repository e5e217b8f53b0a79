"""`route` and `dispatch` without the model: brand mapping, continuity, when the model is asked."""

from __future__ import annotations

import pytest
from langgraph.runtime import Runtime
from langgraph.types import Send

from brands.context import BrandContext
from nodes.route import (
    continue_waiting,
    dispatch,
    handoff_reason,
    needs_model,
    route,
    waiting_workflows,
    with_model_labels,
    with_the_named_cancellation,
    workflow_for,
)
from routing.classifier import Span
from routing.reading import Intent, Reading, read_message
from state.schema import TurnState, WorkflowRun, new_run


def run(name: str, status: str = "waiting", turn: int = 1) -> WorkflowRun:
    return {**new_run(name), "status": status, "turn": turn}  # type: ignore[typeddict-item]


def ask(name: str, position: int = 0, confidence: float = 1.0) -> Intent:
    return Intent(name=name, confidence=confidence, entities={}, position=position)


def continued(text: str, waiting: list[str]) -> list[tuple[str, float, int]]:
    reading = read_message(text)
    return [
        (i["name"], round(i["confidence"], 1), i["position"])  # calibrated: a sure ask is 0.95 to 1.0
        for i in continue_waiting(reading, reading.intents, waiting)
    ]


def sends(state: TurnState, brand: str, *, verified: bool = True) -> list[tuple[str, object]]:
    out = dispatch(state, Runtime(context=BrandContext(brand_id=brand, customer_verified=verified)))
    assert isinstance(out, list)
    return [(s.node, s.arg) for s in out if isinstance(s, Send)]


def test_that_a_brand_runs_only_the_workflows_it_enabled_and_hands_off_the_rest() -> None:
    acme = ("order_status", "cancel_subscription", "handoff")
    globex = ("order_status", "handoff")
    assert workflow_for("cancel_subscription", acme, verified=True) == ("cancel_subscription", None)
    assert workflow_for("cancel_subscription", globex) == ("handoff", "not_enabled")
    assert workflow_for("returns_refunds", acme) == ("handoff", "not_enabled")
    assert workflow_for("other", acme) == ("handoff", "not_automated")
    assert workflow_for("handoff", acme) == ("handoff", "customer_asked")


def test_that_globex_hands_off_a_cancellation_and_never_runs_it() -> None:
    state = TurnState(
        turn=1, clean_text="where is my order 2001 cancel my subscription",
        intents=[ask("order_status"), ask("cancel_subscription", 23)], runs={},
    )  # fmt: skip
    out = sends(state, "globex")
    assert [node for node, _ in out] == ["order_status", "handoff"]
    handoff = out[1][1]
    assert isinstance(handoff, dict)
    assert [i["name"] for i in handoff["intents"]] == ["cancel_subscription"]
    assert handoff["reason"] == "not_enabled"
    assert [node for node, _ in sends(state, "acme")] == ["order_status", "cancel_subscription"]


def test_that_a_handoff_run_names_the_customers_wish_only_when_it_is_the_sole_reason() -> None:
    assert handoff_reason({"customer_asked"}) == "customer_asked"
    assert handoff_reason({"customer_asked", "not_automated"}) == "not_automated"
    assert handoff_reason({"not_automated", "not_enabled"}) == "not_enabled"
    assert handoff_reason({"not_enabled", "unverified", "customer_asked"}) == "unverified"


def test_that_every_workflow_that_writes_runs_only_for_a_verified_customer() -> None:
    enabled = ("order_status", "cancel_subscription", "returns_refunds", "address_change", "handoff")
    for name in ("cancel_subscription", "returns_refunds", "address_change"):
        assert workflow_for(name, enabled) == ("handoff", "unverified")
        assert workflow_for(name, enabled, verified=True) == (name, None)
    assert workflow_for("order_status", enabled) == ("order_status", None)  # a read: by number and email


def test_that_an_unverified_customers_refund_and_cancel_are_handed_off_and_their_read_still_runs() -> None:
    state = TurnState(
        turn=1, clean_text="where is order 1001, refund order 1002 and cancel my subscription",
        intents=[ask("order_status"), ask("returns_refunds", 20), ask("cancel_subscription", 44)], runs={},
    )  # fmt: skip
    out = sends(state, "acme", verified=False)
    assert [node for node, _ in out] == ["order_status", "handoff"]
    handoff = out[1][1]
    assert isinstance(handoff, dict)
    assert [i["name"] for i in handoff["intents"]] == ["returns_refunds", "cancel_subscription"]
    assert handoff["reason"] == "unverified"
    assert [node for node, _ in sends(state, "acme")] == [
        "order_status",
        "returns_refunds",
        "cancel_subscription",
    ]


def test_that_an_unverified_yes_to_a_waiting_refund_is_handed_off_not_confirmed() -> None:
    state = TurnState(
        turn=2, clean_text="yes", intents=[ask("returns_refunds")],
        runs={"returns_refunds": run("returns_refunds", turn=1)},
    )  # fmt: skip
    assert [(node, arg["reason"]) for node, arg in sends(state, "acme", verified=False)] == [  # type: ignore[index]
        ("handoff", "unverified")
    ]


def test_that_the_waiting_workflows_are_a_stack_most_recent_first() -> None:
    runs = {
        "order_status": run("order_status", turn=1),
        "cancel_subscription": run("cancel_subscription", turn=3),
        "handoff": run("handoff", turn=3),
        "returns_refunds": run("returns_refunds", "resolved", turn=4),
    }
    assert waiting_workflows(runs) == ["cancel_subscription", "order_status"]


def test_that_a_waiting_workflow_receives_an_answer_that_asks_nothing() -> None:
    assert continued("it is #1001", ["order_status"]) == [("order_status", 1.0, 0)]
    assert continued("yes please", ["cancel_subscription", "order_status"]) == [
        ("cancel_subscription", 1.0, 0),
        ("order_status", 1.0, 0),
    ]


def test_that_a_new_ask_beside_an_answer_starts_its_own_workflow_beside_the_waiting_one() -> None:
    assert continued("yes please, and where is my order 1001?", ["cancel_subscription"]) == [
        ("cancel_subscription", 1.0, 0),
        ("order_status", 1.0, 16),
    ]


def test_that_a_new_ask_alone_leaves_the_waiting_workflow_waiting() -> None:
    assert continued("where is my order 1001?", ["cancel_subscription"]) == [("order_status", 1.0, 0)]


def test_that_asking_the_waiting_workflows_thing_again_continues_it_once() -> None:
    assert continued("cancel my subscription sub_501", ["cancel_subscription"]) == [
        ("cancel_subscription", 1.0, 0)
    ]


def test_that_the_model_is_asked_only_where_its_answer_could_change_what_runs() -> None:
    text = "my coffee maker broke, what about my order"
    answer = Span("none", 0.7, 0, len(text), 0.0)
    doubtful_answer = Reading(text, [answer], [], [answer], None)
    assert needs_model(doubtful_answer, ["order_status"]) is False  # the waiting workflow takes it
    whole = Span("other", 0.4, 0, len(text), 0.0)
    weak = Reading(text, [whole], [ask("other", 0, 0.4)], [whole], None)
    assert needs_model(weak, []) is True  # the model could remove an ask under 0.5
    assert needs_model(weak, ["order_status"]) is True  # a new ask beside the waiting one
    assert needs_model(read_message("where is my order 1001?"), []) is False


def test_that_the_model_removes_only_a_doubtful_ask_below_half() -> None:
    text = "where is my order 1001 and my coffee maker broke"
    sure = Span("order_status", 0.99, 0, 22, 9.0)
    doubt = Span("other", 0.4, 27, len(text), 9.0)
    reading = Reading(text, [sure, doubt], [ask("order_status"), ask("other", 27, 0.4)], [doubt], None)
    assert [(i["name"], i["position"]) for i in with_model_labels(reading, ["other"])] == [
        ("order_status", 0),
        ("other", 27),
    ]
    assert [i["name"] for i in with_model_labels(reading, [])] == ["order_status"]
    firm = Reading(text, [sure, doubt], [ask("order_status"), ask("other", 27, 0.5)], [doubt], None)
    assert [i["name"] for i in with_model_labels(firm, [])] == ["order_status", "other"]


async def test_that_route_continues_the_waiting_workflow_without_asking_the_model() -> None:
    state = TurnState(turn=2, clean_text="it is 1002", runs={"order_status": run("order_status")})
    assert await route(state) == {
        "intents": [{"name": "order_status", "confidence": 1.0, "entities": {}, "position": 0}]
    }


async def test_that_a_doubtful_ask_naming_nothing_is_the_answer_to_the_waiting_workflow() -> None:
    """While the subscription cancellation waits for its yes, "yes please cancel" confirms that
    cancellation; it does not start an order cancellation beside it (`answering_waiting`)."""
    waiting = {"cancel_subscription": run("cancel_subscription")}
    reading = read_message("yes please cancel")
    assert [s.label for s in reading.uncertain if s.label != "none"] == ["cancel_order"]  # doubtful, no id
    out = await route(TurnState(turn=2, clean_text="yes please cancel", runs=waiting))
    assert [i["name"] for i in out["intents"]] == ["cancel_subscription"]
    # nothing waits: the same words are an ask of their own
    alone = await route(TurnState(turn=1, clean_text="yes please cancel", runs={}))
    assert "cancel_order" in [i["name"] for i in alone["intents"]]


async def test_that_an_ask_naming_its_own_order_still_runs_beside_the_waiting_workflow() -> None:
    waiting = {"cancel_subscription": run("cancel_subscription")}
    text = "yes, and cancel order 1002 too"
    out = await route(TurnState(turn=2, clean_text=text, runs=waiting))
    assert sorted(i["name"] for i in out["intents"]) == ["cancel_order", "cancel_subscription"]


@pytest.mark.parametrize(
    ("waiting", "text", "expected"),
    [
        ("cancel_order", "yes, cancel it", ["cancel_order"]),
        ("cancel_order", "yes cancel the order please", ["cancel_order"]),
        ("cancel_subscription", "yes, cancel it", ["cancel_subscription"]),
        ("cancel_order", "yes, and cancel my subscription too", ["cancel_order", "cancel_subscription"]),
    ],
)
async def test_that_an_ask_to_cancel_naming_no_kind_answers_the_waiting_cancellation(
    waiting: str, text: str, expected: list[str]
) -> None:
    """ "yes, cancel it" while the order cancellation waits confirms it; it does not start a
    subscription cancellation beside it, however sure the classifier is of `cancel_subscription`."""
    out = await route(TurnState(turn=2, clean_text=text, runs={waiting: run(waiting)}))
    assert sorted(i["name"] for i in out["intents"]) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I want to cancel", ["cancel_order", "cancel_subscription"]),
        ("cancel my subscription please", ["cancel_subscription"]),
        ("I want to cancel my order", ["cancel_order"]),
        ("cancel order 1002", ["cancel_order"]),
    ],
)
async def test_that_an_ask_to_cancel_naming_nothing_runs_both_cancellations(
    text: str, expected: list[str]
) -> None:
    """Both ask the same "which would you like to cancel", so the customer's choice reaches the one it
    is for; with one alone, "1002" answering the subscription cancellation's question had no workflow."""
    out = await route(TurnState(turn=1, clean_text=text, runs={}), ctx=BrandContext(brand_id="acme"))
    assert sorted(i["name"] for i in out["intents"]) == expected


@pytest.mark.parametrize(
    ("text", "read", "expected"),
    [
        # only an order named: the cancellation is the order's (the labelling guide's rule)
        ("can i talk to someone about 1002 i want to cancel it", ["handoff", "cancel_subscription"],
         ["handoff", "cancel_order"]),
        ("could I maybe cancel order 1002? I don't need it", ["cancel_order", "cancel_subscription"],
         ["cancel_order"]),
        # only a subscription named: the subscription's
        ("please cancel my coffee club, too pricey", ["cancel_order"], ["cancel_subscription"]),
        ("cancel sub_501", ["cancel_order"], ["cancel_subscription"]),
        # both named, or neither, or a subscription in other words: as read
        ("cancel order 1002 and my subscription", ["cancel_order", "cancel_subscription"],
         ["cancel_order", "cancel_subscription"]),
        ("I want to cancel", ["cancel_subscription"], ["cancel_subscription"]),
        ("stop my standing order 1002", ["cancel_subscription"], ["cancel_subscription"]),
        ("could you terminate my repeat delivery please cancel order 1002",
         ["cancel_subscription", "cancel_order"], ["cancel_subscription", "cancel_order"]),
        ("cancel my subcription, it is 1002", ["cancel_subscription"], ["cancel_subscription"]),
        # an order named by words alone does not move a subscription's cancellation
        ("help me stop my plan and track my order", ["cancel_subscription", "order_status"],
         ["cancel_subscription", "order_status"]),
    ],
)  # fmt: skip
def test_that_an_ask_to_cancel_is_the_cancellation_of_the_only_kind_of_thing_named(
    text: str, read: list[str], expected: list[str]
) -> None:
    asks = [ask(name, position=i) for i, name in enumerate(read)]
    assert [i["name"] for i in with_the_named_cancellation(text, asks)] == expected


async def test_that_a_cancel_it_beside_an_order_number_cancels_the_order() -> None:
    """This artefact reads "i want to cancel it" after "about 1002" as `cancel_subscription`."""
    text = "can i talk to someone about 1002 i want to cancel it"
    out = await route(TurnState(turn=1, clean_text=text, runs={}), ctx=BrandContext(brand_id="acme"))
    assert sorted(i["name"] for i in out["intents"]) == ["cancel_order", "handoff"]
