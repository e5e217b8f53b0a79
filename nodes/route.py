"""`route`: find every ask in the turn, then `dispatch` one `Send` per ask to its workflow, side by side.

Routing (see docs/routing.md):
- a message surely in a language the brand does not serve (`routing.language`) is handed to a
  person with reason `language`;
- the trained classifier (`routing.reading`) reads the message; the model is asked, with a
  structured output, only about a message with a segment the classifier is not confident about.
  The model adds or confirms, never removes: it may drop a classifier ask only below
  `REMOVE_BELOW`, and an ask it adds runs only at `ADD_FLOOR` or above; down, slow or silent, the
  classifier's reading stands;
- a request for a person (`routing.person`) is always handed off; an order number with no clear
  ask is an order-status ask;
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
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import replace
from functools import cache
from typing import Any, Literal

from langchain_core.exceptions import OutputParserException
from langchain_core.messages import HumanMessage, SystemMessage
from langgraph.runtime import Runtime
from langgraph.types import Send
from openai import APIError
from pydantic import BaseModel, Field, ValidationError, create_model

from brands.context import BrandContext
from config.settings import EndpointsError, get_settings
from routing.classifier import NONE, OTHER
from routing.features import tokenize
from routing.ids import ORDER_DIGITS, named_orders, named_subscriptions
from routing.language import foreign_language
from routing.person import person_request
from routing.reading import (
    Intent,
    Reading,
    add_ask,
    entities_in,
    probability_of,
    read_message,
    refused_labels,
)
from routing.silence import nothing_to_answer
from state.schema import TurnState, WorkflowRun, new_run
from tools import deadline, model_costs
from tools.model import get_chat_model
from workflows.kit.cancellable import (
    ORDER_WORDS,
    OTHER_CANCELLATION,
    SUBSCRIPTION_WORDS,
    answers_the_other_cancellation,
    names_no_kind,
)
from workflows.registry import REGISTRY, Registry

log = logging.getLogger(__name__)

ROUTE_SHARE = 1 / 3
"""Of what is left of the turn's deadline, what the routing fallback may wait for the model (and never
more than `router_model_timeout_s`); when it times out the classifier's reading stands."""

RoutingReason = Literal["customer_asked", "not_enabled", "not_automated", "unverified", "language"]
"""The router's own reasons (a subset of `state.schema.HandoffReason`)."""

REMOVE_BELOW = 0.5
"""The model may remove a classifier ask only when the classifier gave it less than this."""
ADD_FLOOR = 0.5
"""An ask the model adds runs only when the classifier gives it at least this probability on a
doubtful part of the message (or on the whole message): no workflow runs for what nobody asked."""
CLEAR_ASK = 0.5
"""An ask the classifier gives less than this is no clear ask: with an order number named, the
message is an order-status ask (docs/routing.md)."""
UNCLEAR_CANCEL = 0.7
"""An ask to cancel naming nothing under this runs both cancellations (`with_both_cancellations`):
the artefact of T1-T7 reads "I want to cancel" as `cancel_subscription` at 0.58."""
_SHORT_ORDER = re.compile(rf"^\W*(?:\w+\W+){{0,5}}?#?({ORDER_DIGITS})\W*(?:\w+\W*){{0,3}}$")
"""A short message built around a number ("any update on 1001", "did 1002 ship yet", "1001??")."""
_NUMBER = re.compile(rf"(?<!\d){ORDER_DIGITS}(?!\d)")
"""Any order-sized number: with one in the text, an ask to cancel is not unclear about what."""


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
    intents = await _asks(state, registry, ctx)
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


async def _asks(state: TurnState, registry: Registry, ctx: BrandContext | None = None) -> list[Intent]:
    text = state["clean_text"]
    served = ctx.brand.languages if ctx is not None else ("en",)
    lang = foreign_language(text, served)
    if lang is not None:
        return [language_handoff(registry)]
    waiting = waiting_workflows(state.get("runs", {}), registry)
    reading = answering_waiting(read_message(text, registry.router), waiting)
    intents = reading.intents
    if needs_model(reading, waiting, registry):
        labels = await ask_model(text, registry)
        if labels is not None:
            intents = with_model_labels(reading, labels, registry)
    intents = with_person_request(text, intents, registry)
    if not waiting:
        intents = with_named_order(text, intents, registry)
        intents = with_the_named_cancellation(text, intents)
        intents = without_unclear_asks_about_a_subscription(text, intents)
        if ctx is not None:
            intents = with_both_cancellations(text, intents, ctx.brand.workflows)
    elif reading.intents and not any(i["name"] in waiting for i in reading.intents):
        # an unclear ask beside the answer to a waiting workflow: "no, just tell me about order 1002";
        # an unclear reading of the waiting workflow's own ask is its answer, numbers and all
        # ("500 Oak Road, Springfield, IL 62704" while the address change waits: not order 62704)
        intents = with_named_order(text, intents or reading.intents, registry)
    return continue_waiting(reading, intents, waiting)


def answering_waiting(reading: Reading, waiting: Collection[str]) -> Reading:
    """While a workflow waits, a doubtful ask that names nothing of its own ("yes, cancel it",
    "ok go ahead and cancel") is the answer to the waiting workflow, not a new ask: its words are the
    waiting workflow's, and "it" is what that workflow asked about. So is a confident ask to cancel
    that names neither an order nor a subscription while the other cancellation waits ("yes, cancel
    it" reads `cancel_subscription` at 0.84; `workflows.kit.cancellable`). An ask naming an order, a
    subscription, an email or a tracking number, or any other confident ask, still runs beside it."""
    if not waiting:
        return reading
    doubtful = {s.start for s in reading.uncertain if s.label != NONE}
    echoes = [
        i
        for i in reading.intents
        if i["name"] not in waiting
        and not i["entities"]
        and (i["position"] in doubtful or answers_the_other_cancellation(i["name"], waiting, reading.text))
    ]
    if not echoes:
        return reading
    kept = [i for i in reading.intents if i not in echoes]
    gone = {i["position"] for i in echoes}
    uncertain = [s for s in reading.uncertain if s.start not in gone]
    answer = reading.answer or Intent(
        name=NONE, confidence=1.0, entities=entities_in(reading.text), position=echoes[0]["position"]
    )
    return replace(reading, intents=kept, uncertain=uncertain, answer=answer)


_SUBSCRIPTION_TYPO = re.compile(
    r"\b(subs?\w*|member\w*|memebr\w*|standing|repeat\w*|renew\w*|auto\W?renew\w*|deliveries)\b",
    re.IGNORECASE,
)
"""Words that may name a subscription, misspelt ("subcription", "membrship"), short ("sub") or in
other words ("standing order", "repeat delivery", "auto-renewal"): any of them keeps
`with_the_named_cancellation` out."""


def with_the_named_cancellation(text: str, intents: list[Intent]) -> list[Intent]:
    """An ask to cancel read as one cancellation in a message that names only the other's kind of
    thing is the other's (the labelling guide: "cancel it" with only an order number named is
    `cancel_order`, with only a subscription named `cancel_subscription`): "can i talk to someone
    about 1002 i want to cancel it" read `cancel_subscription` at 0.82 and would have started the
    subscription's cancellation for an order. A message naming both kinds, or neither, is left as
    read (neither: `with_both_cancellations`). An order is named by its number here: "stop my
    standing order" is a subscription."""
    names_subscription = bool(
        named_subscriptions(text) or SUBSCRIPTION_WORDS.search(text) or _SUBSCRIPTION_TYPO.search(text)
    )
    if names_subscription:
        meant = "cancel_subscription"
        if _NUMBER.search(text) or ORDER_WORDS.search(text):
            return intents
    elif _NUMBER.search(text):
        meant = "cancel_order"
    else:
        return intents
    if not any(i["name"] == OTHER_CANCELLATION[meant] for i in intents):
        return intents
    out: list[Intent] = []
    for ask in intents:  # renamed, and folded into the named one when both were read
        add_ask(out, {**ask, "name": meant if ask["name"] == OTHER_CANCELLATION[meant] else ask["name"]})
    return out


def with_both_cancellations(text: str, intents: list[Intent], enabled: Collection[str]) -> list[Intent]:
    """An unclear ask to cancel naming nothing ("I want to cancel", read `cancel_subscription` at
    0.39: no number, no subscription id, neither word) runs both cancellations where the brand has
    both: each asks the same "which would you like to cancel" (said once), and the customer's choice
    reaches the one it is for; the other says its thing stays (`workflows.kit.cancellable`). With one
    of them alone, a chosen order had no workflow."""
    unclear = [
        i
        for i in intents
        if i["confidence"] < UNCLEAR_CANCEL and not i["entities"] and names_no_kind(i["name"], text)
    ]
    if not unclear or _NUMBER.search(text) or named_subscriptions(text):
        return intents  # a number or an id names the thing: the workflow reading it knows which
    names = {i["name"] for i in intents}
    added = [
        Intent(name=other, confidence=i["confidence"], entities={}, position=i["position"])
        for i in unclear
        if (other := OTHER_CANCELLATION[i["name"]]) in enabled and other not in names
    ]
    return sorted([*intents, *added], key=lambda i: i["position"])


def without_unclear_asks_about_a_subscription(text: str, intents: list[Intent]) -> list[Intent]:
    """A message naming a subscription with no clear ask ("sub_501?") gets the question about that
    subscription (`nodes.compose.clarifying_question`), not a workflow run on a guess."""
    if not named_subscriptions(text) or any(i["confidence"] >= CLEAR_ASK for i in intents):
        return intents
    return []


def language_handoff(registry: Registry = REGISTRY) -> Intent:
    """The one ask of a message in a language the brand does not serve: a person, reason `language`."""
    return Intent(name=registry.handoff, confidence=1.0, entities={}, position=0, handoff_reason="language")


def with_person_request(text: str, intents: list[Intent], registry: Registry = REGISTRY) -> list[Intent]:
    """The asks, with a request for a person always among them (`routing.person`)."""
    start = person_request(text)
    if start is None or any(i["name"] == registry.handoff for i in intents):
        return intents
    ask = Intent(name=registry.handoff, confidence=1.0, entities=entities_in(text[start:]), position=start)
    return sorted([*intents, ask], key=lambda i: i["position"])


def with_named_order(text: str, intents: list[Intent], registry: Registry = REGISTRY) -> list[Intent]:
    """A message naming an order with no clear ask ("any update on 1001") asks for its status."""
    if any(i["confidence"] >= CLEAR_ASK for i in intents) or "order_status" not in registry.names:
        return intents
    orders = named_orders(text)
    short = _SHORT_ORDER.match(text)
    number = orders[0] if orders else short.group(1) if short else None
    if number is None:
        return intents
    start = min((i["position"] for i in intents), default=0)
    ask = Intent(name="order_status", confidence=1.0, entities={"order_number": number}, position=start)
    return [ask]


def waiting_workflows(runs: Mapping[str, WorkflowRun], registry: Registry = REGISTRY) -> list[str]:
    """The workflows waiting for the customer, most recent first (the active-workflow stack)."""
    waiting = [r for r in runs.values() if r["status"] == "waiting" and r["name"] != registry.handoff]
    return [r["name"] for r in sorted(waiting, key=lambda r: (-r["turn"], r["name"]))]


def needs_model(reading: Reading, waiting: Collection[str], registry: Registry = REGISTRY) -> bool:
    """Ask the model only when its answer could change what runs.

    A doubtful no-ask part, or a doubtful ask a waiting workflow already covers, goes to the
    waiting workflow as its answer: nothing to ask then. Otherwise the model is asked only when
    the fallback policy would let its answer count (`model_could_change`).
    """
    if not waiting:
        return bool(reading.uncertain) and model_could_change(reading, registry)
    doubtful = [s for s in reading.uncertain if s.label != NONE and s.label not in waiting]
    return bool(doubtful) and model_could_change(reading, registry)


def model_could_change(reading: Reading, registry: Registry = REGISTRY) -> bool:
    """Whether any answer of the model would change the reading under the fallback policy: a
    doubtful ask below `REMOVE_BELOW` it could remove, or an ask not found that the classifier
    gives at least `ADD_FLOOR` on a doubtful part or the whole message, which it could add."""
    doubtful = {s.start for s in reading.uncertain}
    if any(i["position"] in doubtful and i["confidence"] < REMOVE_BELOW for i in reading.intents):
        return True
    found = {i["name"] for i in reading.intents}
    return any(
        label not in found and label != NONE and prob >= ADD_FLOOR
        for _, part in _doubtful_parts(reading)
        for label, prob in registry.router.probabilities([t.norm for t in tokenize(part)]).items()
    )


def _doubtful_parts(reading: Reading) -> list[tuple[int, str]]:
    """The doubtful segments (start, text), then the whole message (at the first doubtful part)."""
    parts = [(s.start, reading.text[s.start : s.end]) for s in reading.uncertain]
    parts.append((reading.uncertain[0].start if reading.uncertain else 0, reading.text))
    return parts


async def ask_model(text: str, registry: Registry = REGISTRY) -> list[str] | None:
    """The router labels the model reads in `text`; None when the model cannot be used (down,
    slower than `router_model_timeout_s`, or answering something unreadable)."""
    routed = routed_asks_model(registry)
    left = deadline.remaining()
    try:
        model = get_chat_model().with_structured_output(routed, method="json_schema")
        # the fallback may use a third of what is left of the turn (the workflows need the rest)
        limit = get_settings().router_model_timeout_s
        async with asyncio.timeout(limit if left is None else min(limit, max(left, 0.0) * ROUTE_SHARE)):
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
    """The classifier's asks, confirmed or added to by the model; never fewer.

    A classifier ask stays unless it is doubtful, below `REMOVE_BELOW`, and the model does not
    name it. A label the model adds is placed at the doubtful part where the classifier gives it
    the highest probability, with that probability as its confidence, and runs only at
    `ADD_FLOOR` or above (the whole message counts as a part too). A label the customer refuses in
    so many words ("I'm not after a refund": `routing.reading.refused_labels`) is never added.
    """
    doubtful = {s.start for s in reading.uncertain}
    kept = [
        i
        for i in reading.intents
        if i["name"] in labels or i["position"] not in doubtful or i["confidence"] >= REMOVE_BELOW
    ]
    have = {i["name"] for i in kept}
    parts = _doubtful_parts(reading)
    added: list[Intent] = []
    refused = refused_labels(reading.text, registry.router) if set(labels) - have else frozenset()
    for label in labels:
        if label in have or label in refused:
            continue
        prob, start = max((probability_of(part, label, registry.router), start) for start, part in parts)
        if prob >= ADD_FLOOR:
            added.append(
                Intent(
                    name=label,
                    confidence=round(prob, 2),
                    entities=entities_in(reading.text[start:]),
                    position=start,
                )
            )
    return sorted([*kept, *added], key=lambda i: i["position"])


def continue_waiting(reading: Reading, intents: list[Intent], waiting: Sequence[str]) -> list[Intent]:
    """Give the turn's answer to the waiting workflows; new asks run beside them.

    A waiting workflow takes the turn when the message asks nothing new, when it asks that same
    workflow's thing again, or when part of it asks nothing (the answer, e.g. "yes, and ...").
    Otherwise it keeps waiting, untouched, while the new asks run. While a workflow waits, a part
    read as an ask no workflow takes (`other`: "yes, cancel it", "I don't want the offer") is read
    as the answer to it, not handed to a person.
    """
    if not waiting:
        return intents
    intents = [i for i in intents if i["name"] != OTHER]
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
    for reason in ("unverified", "language", "not_enabled", "not_automated"):
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
        if intent.get("handoff_reason") == "language":
            reason = "language"
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
