"""The registry is the one list of workflows: the router, the model's routing labels and prompt, brand
validation and the main graph derive from it, and the drift check fails when any of them disagrees."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from brands import BRANDS_DIR, load_brands
from graph.builder import compile_graph
from nodes.route import routed_asks_model
from routing.classifier import MODEL_PATH, NONE, OTHER, RouterModel, load_model
from workflows.registry import REGISTRY, Registry, RegistryError
from workflows.spec import RouterSpec


def _artefact_without(label: str) -> RouterModel:
    """The shipped artefact as if trained without `label`: its classes are others, trained as `other`."""
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    gone = [lab == label for lab in data["labels"]]
    data["classes"] = [f"retired_{c}" if g else c for c, g in zip(data["classes"], gone, strict=True)]
    data["labels"] = [OTHER if g else lab for lab, g in zip(data["labels"], gone, strict=True)]
    return RouterModel(data)


def test_that_the_shipped_registry_and_everything_derived_from_it_agree() -> None:
    assert REGISTRY.problems() == []


def test_that_removing_a_workflow_from_the_registry_fails_the_drift_check() -> None:
    fewer = Registry([w for w in REGISTRY if w.name != "returns_refunds"])
    problems = fewer.problems()
    assert problems and all("'returns_refunds'" in p for p in problems)
    assert "router class 'get_refund' was trained as 'returns_refunds'" in " ".join(problems)


def test_that_a_router_trained_without_a_label_fails_the_drift_check() -> None:
    problems = REGISTRY.problems(_artefact_without("address_change"))
    assert "address_change: the router cannot find its asks (no trained class is its)" in problems


def test_that_a_router_class_no_artefact_has_fails_the_drift_check() -> None:
    order = REGISTRY["order_status"]
    renamed = replace(order, router=replace(order.router, classes=("where_is_it",)))
    problems = REGISTRY.with_workflows(renamed).problems()
    assert "order_status: router classes ['where_is_it'] are not in the trained router" in problems
    assert any("trained as 'order_status'" in p for p in problems)


def test_that_examples_the_router_does_not_send_to_their_workflow_fail_the_drift_check(
    tmp_path: Path,
) -> None:
    examples = tmp_path / "router_examples.jsonl"
    lines = ["where is my parcel?", "my order never came", "track order 1001"]
    examples.write_text(
        "".join(json.dumps({"text": t, "intent": "cancel_subscription"}) + "\n" for t in lines)
    )
    cancel = REGISTRY["cancel_subscription"]
    wrong = replace(cancel, router=replace(cancel.router, examples=examples))
    problems = REGISTRY.with_workflows(wrong).problems()
    assert problems == ["cancel_subscription: the router sends 0 of its 3 examples to it"]


def test_that_the_registry_refuses_two_owners_of_a_class_and_reserved_names() -> None:
    order = REGISTRY["order_status"]
    with pytest.raises(RegistryError, match="claimed by"):
        REGISTRY.with_workflows(replace(order, name="order_status_2"))
    with pytest.raises(RegistryError, match="router labels"):
        REGISTRY.with_workflows(replace(order, name=OTHER, router=RouterSpec("x", ())))


def test_that_the_routers_labels_are_the_registrys() -> None:
    assert [REGISTRY.label_of(c) for c in ("track_order", "delivery_period", "get_refund", "complaint")] == [
        "order_status",
        "order_status",
        "returns_refunds",
        "handoff",
    ]
    assert REGISTRY.label_of("newsletter_subscription") == OTHER
    assert REGISTRY.label_of("cancel_order") == "cancel_order"
    assert REGISTRY.label_of(NONE) == NONE
    assert set(REGISTRY.router.labels) == {*REGISTRY.names, OTHER, NONE}
    trained = load_model()
    moved = {
        c: (t, r)
        for c, t, r in zip(trained.classes, trained.label_of, REGISTRY.router.label_of, strict=True)
        if t != r
    }
    # the shipped artefact was retrained with every registered workflow: it agrees class by class
    assert moved == {}


def test_that_the_models_routing_labels_and_prompt_are_the_registrys() -> None:
    schema = routed_asks_model(REGISTRY).model_json_schema()
    labels = schema["properties"]["intents"]["items"]["enum"]
    assert labels == [NONE, *REGISTRY.names, OTHER]
    prompt = REGISTRY.router_prompt()
    for w in REGISTRY:
        assert f"- {w.name}: {w.router.description}." in prompt
    fewer = Registry([w for w in REGISTRY if w.name != "address_change"])
    assert "address_change" not in fewer.router_prompt()
    assert (
        "address_change"
        not in routed_asks_model(fewer).model_json_schema()["properties"]["intents"]["items"]["enum"]
    )


def test_that_the_main_graph_has_one_node_per_workflow_of_its_registry() -> None:
    nodes = set(compile_graph().get_graph().nodes)
    assert set(REGISTRY.names) <= nodes
    fewer = Registry([w for w in REGISTRY if w.name != "address_change"])
    assert "address_change" not in set(compile_graph(registry=fewer).get_graph().nodes)


def test_that_brands_may_enable_only_registered_workflows(tmp_path: Path) -> None:
    for brand in load_brands(BRANDS_DIR).values():
        REGISTRY.check_brand(brand)
    text = (
        (BRANDS_DIR / "acme.yaml")
        .read_text()
        .replace("exchange_item, handoff]", "exchange_item, refunds, handoff]")
    )
    (tmp_path / "acme.yaml").write_text(text)
    brand = load_brands(tmp_path)["acme"]
    with pytest.raises(RegistryError, match=r"enables \['refunds'\]"):
        REGISTRY.check_brand(brand)
