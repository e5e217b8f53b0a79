"""`route`: find every ask in the turn, then `dispatch` one `Send` per ask to its workflow, side by side.

Routing (see docs/routing.md):
- the trained classifier (`routing.reading`) reads the message first; the model is asked, with a
  structured output, only about a message with a segment the classifier is not confident about;
- continuity: a workflow waiting for the customer receives the turn's answer (a part that asks
  nothing, or the whole message when it holds no new ask); a new ask in the same turn starts its
  own workflow beside it. The waiting workflows are the runs whose status is `waiting`, most
  recent turn first: `runs` is the workflow stack, no other state is kept;
- nothing to answer (`routing.silence.nothing_to_answer`: empty after sanitising, an auto-reply,
  a bare "thanks" once resolved): no asks at all, and `compose` closes without a reply;
- brand mapping, in `dispatch`: an ask whose workflow the brand has not enabled goes to
  `handoff` (never run), as do asks for a person and asks no workflow handles (`other`);
- writes only for a verified customer, in `dispatch`: an ask for a workflow that writes (its
  `Workflow.writes`: a refund, a cancellation, an address change) from a customer the brand's
  integration has not signed in (`BrandContext.customer_verified`) goes to `handoff` as
  `unverified`, before any of that workflow's tools (reads included) runs: a typed email alone
  never unlocks another customer's writes. Such a customer can still look an order up by its
  number and the email on it (`order_status`, `tools/orders.py: find_order`).

The labels, the model's labels and routing prompt and the workflows are the registry's
(`workflows.registry`); the main graph passes its registry to `route` and `dispatch`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Collection, Mapping, Sequence
from functools import cache
from typing import Any, Literal

from langchain_core.exceptions import OutputParserException
from langchain_core.messages import HumanMessage, SystemMessage
from langgraph.runtime import Runtime
from langgraph.types import Send
from openai import APIError
from pydantic import BaseModel, Field, ValidationError, create_model

from brands.context import BrandContext
from config.settings import EndpointsError
from routing.classifier import NONE
from routing.reading import Intent, Reading, entities_in, probability_of, read_message
from routing.silence import nothing_to_answer
from state.schema import TurnState, WorkflowRun, new_run
from tools import deadline, model_costs
from tools.model import get_chat_model
from workflows.registry import REGISTRY, Registry

log = logging.getLogger(__name__)

ROUTE_SHARE = 1 / 3
"""Of what is left of the turn's deadline, what the routing fallback may wait for the model; when it
times out the classifier's reading stands."""

RoutingReason = Literal["customer_asked", "not_enabled", "not_automated", "unverified"]
"""The router's own reasons (a subset of `state.schema.HandoffReason`)."""


@cache
def routed_asks_model(registry: Registry) -> type[BaseModel]:
    """The structured output the model answers with: its labels are the registry's."""
    label = Literal[registry.model_labels]  # type: ignore[valid-type]  # built from the registry
    return create_model(
        "RoutedAsks",
        __doc__="The asks the model found in the customer's message.",
        intents=(list[label], Field(description="every distinct ask in the message, in order")),
    )


async def route(
    state: TurnState, registry: Registry = REGISTRY, ctx: BrandContext | None = None
) -> dict[str, Any]:
    """The turn's asks: the classifier's, the model's where it is unsure, and the waiting workflows';
    while a person is awaited, only the asks that do not wait for that person (`while_awaiting`)."""
    if nothing_to_answer(state["clean_text"], list(state.get("runs", {}).values())):
        return {"intents": []}  # `compose` closes without a reply; waiting workflows stay waiting
    intents = await _asks(state, registry)
    if state.get("owner") == "awaiting_human":
        intents = while_awaiting(intents, state.get("awaiting", []), ctx, registry)
    return {"intents": intents}


def while_awaiting(
    intents: list[Intent], awaiting: Sequence[str], ctx: BrandContext | None, registry: Registry = REGISTRY
) -> list[Intent]:
    """The asks that run while a person is awaited: enabled workflows' asks not already handed off.

    A request for a person, an ask no workflow takes and an ask already awaiting the person wait
    with it (`compose` acknowledges them); a brand set to `acknowledge_only` runs nothing."""
    if ctx is None or ctx.brand.while_awaiting_human == "acknowledge_only":
        return []
    enabled = set(ctx.brand.workflows)
    return [
        i
        for i in intents
        if i["name"] in enabled and i["name"] != registry.handoff and i["name"] not in awaiting
    ]


async def _asks(state: TurnState, registry: Registry) -> list[Intent]:
    reading = read_message(state["clean_text"], registry.router)
    waiting = waiting_workflows(state.get("runs", {}), registry)
    intents = reading.intents
    if needs_model(reading, waiting):
        labels = await ask_model(reading.text, registry)
        if labels is not None:
            intents = with_model_labels(reading, labels, registry)
    return continue_waiting(reading, intents, waiting)


def waiting_workflows(runs: Mapping[str, WorkflowRun], registry: Registry = REGISTRY) -> list[str]:
    """The workflows waiting for the customer, most recent first (the active-workflow stack)."""
    waiting = [r for r in runs.values() if r["status"] == "waiting" and r["name"] != registry.handoff]
    return [r["name"] for r in sorted(waiting, key=lambda r: (-r["turn"], r["name"]))]


def needs_model(reading: Reading, waiting: Collection[str]) -> bool:
    """Ask the model only when a doubtful segment could change what runs.

    A doubtful no-ask part, or a doubtful ask a waiting workflow already covers, goes to the
    waiting workflow as its answer: nothing to ask then.
    """
    if not waiting:
        return bool(reading.uncertain)
    return any(s.label != NONE and s.label not in waiting for s in reading.uncertain)


async def ask_model(text: str, registry: Registry = REGISTRY) -> list[str] | None:
    """The router labels the model reads in `text`; None when the model cannot be used."""
    routed = routed_asks_model(registry)
    left = deadline.remaining()
    try:
        model = get_chat_model().with_structured_output(routed, method="json_schema")
        # the fallback may use a third of what is left of the turn: the workflows need the rest
        async with asyncio.timeout(None if left is None else max(left, 0.0) * ROUTE_SHARE):
            out = await model.ainvoke(
                [
                    SystemMessage(content=registry.router_prompt()),
                    HumanMessage(content=text, name="customer"),
                ],
                config=model_costs.costed("route"),
            )
        asks = out if isinstance(out, routed) else routed.model_validate(out)
    except (APIError, EndpointsError, OutputParserException, ValidationError, TimeoutError) as exc:
        log.warning("router model fallback failed (%s); keeping the classifier's reading", type(exc).__name__)
        return None
    return list(dict.fromkeys(label for label in asks.intents if label != NONE))  # type: ignore[attr-defined]


def with_model_labels(reading: Reading, labels: Sequence[str], registry: Registry = REGISTRY) -> list[Intent]:
    """The confident asks, plus the model's labels for the doubtful parts.

    A doubtful ask stays only if the model names it too; a label the model adds is placed at the
    first doubtful part, with the classifier's probability for it there (how sure we were).
    """
    doubtful = {s.start for s in reading.uncertain}
    kept = [i for i in reading.intents if i["position"] not in doubtful or i["name"] in labels]
    have = {i["name"] for i in kept}
    first = reading.uncertain[0]
    span = reading.text[first.start : first.end]
    added = [
        Intent(
            name=label,
            confidence=round(probability_of(span, label, registry.router), 2),
            entities=entities_in(reading.text[first.start :]),
            position=first.start,
        )
        for label in labels
        if label not in have
    ]
    return sorted([*kept, *added], key=lambda i: i["position"])


def continue_waiting(reading: Reading, intents: list[Intent], waiting: Sequence[str]) -> list[Intent]:
    """Give the turn's answer to the waiting workflows; new asks run beside them.

    A waiting workflow takes the turn when the message asks nothing new, when it asks that same
    workflow's thing again, or when part of it asks nothing (the answer, e.g. "yes, and ...").
    Otherwise it keeps waiting, untouched, while the new asks run.
    """
    if not waiting:
        return intents
    if not intents:
        entities = entities_in(reading.text)
        return [Intent(name=w, confidence=1.0, entities=entities, position=0) for w in waiting]
    asked = {i["name"] for i in intents}
    answer = reading.answer
    if answer is None:
        return intents
    continued = [
        Intent(name=w, confidence=1.0, entities=answer["entities"], position=answer["position"])
        for w in waiting
        if w not in asked
    ]
    return sorted([*intents, *continued], key=lambda i: i["position"])


def workflow_for(
    label: str, enabled: Collection[str], registry: Registry = REGISTRY, *, verified: bool = False
) -> tuple[str, RoutingReason | None]:
    """The workflow an ask runs in for a brand and customer, and why it is handed off when it is.

    A workflow that writes runs only for a `verified` customer (signed in by the brand's integration)."""
    if label == registry.handoff:
        return registry.handoff, "customer_asked"
    if label not in registry.names:  # `other`: an ask no workflow takes
        return registry.handoff, "not_automated"
    if label not in enabled:
        return registry.handoff, "not_enabled"
    if registry[label].writes and not verified:
        return registry.handoff, "unverified"
    return label, None


def handoff_reason(reasons: Collection[RoutingReason]) -> RoutingReason:
    """One reason for a handoff run carrying several asks: the customer's wish only if it is the sole one;
    `unverified` before the others, so the reply says what the customer can do about it."""
    for reason in ("unverified", "not_enabled", "not_automated"):
        if reason in reasons:
            return reason  # type: ignore[return-value]
    return "customer_asked"


def dispatch(
    state: TurnState, runtime: Runtime[BrandContext], registry: Registry = REGISTRY
) -> list[Send] | str:
    """Fan out to one workflow per intent; nothing to do goes straight to `compose`."""
    intents = state.get("intents", [])
    if not intents:
        return "compose"
    enabled = set(runtime.context.brand.workflows)
    verified = runtime.context.customer_verified
    runs = state.get("runs", {})
    human = HumanMessage(content=state["clean_text"], name="customer")
    sends: list[Send] = []
    unrouted: list[Intent] = []
    reasons: set[RoutingReason] = set()
    for intent in intents:
        name, reason = workflow_for(intent["name"], enabled, registry, verified=verified)
        if reason is not None:
            unrouted.append(intent)
            reasons.add(reason)
            continue
        run = runs.get(name) or new_run(name)
        payload = {
            "intent": intent,
            "run": run,
            "turn": state["turn"],
            "transcript": [*run["transcript"], human],
        }
        sends.append(Send(name, payload))
    if unrouted:
        run = runs.get(registry.handoff) or new_run(registry.handoff)
        payload = {"intents": unrouted, "reason": handoff_reason(reasons), "turn": state["turn"], "run": run}
        sends.append(Send(registry.handoff, payload))
    return sends
