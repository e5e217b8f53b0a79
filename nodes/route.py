"""`route`: one `Send` per intent to that intent's workflow subgraph, side by side.

An intent the brand has not enabled goes to `handoff`, never run. A turn with no new intent
continues the workflows that wait for the customer's answer.
"""

from __future__ import annotations

from typing import Any

from langchain_core.messages import HumanMessage
from langgraph.runtime import Runtime
from langgraph.types import Send

from brands.context import BrandContext
from graph.state import Intent, TurnState
from graph.workflows.base import new_run
from nodes.intents import find_intents


async def route(state: TurnState) -> dict[str, Any]:
    return {"intents": find_intents(state["clean_text"]) or _continued(state)}


def _continued(state: TurnState) -> list[Intent]:
    waiting = [
        r for r in state.get("runs", {}).values() if r["status"] == "waiting" and r["name"] != "handoff"
    ]
    return [Intent(name=r["name"], confidence=1.0, entities={}, position=0) for r in waiting]


def dispatch(state: TurnState, runtime: Runtime[BrandContext]) -> list[Send] | str:
    """Fan out to one workflow per intent; nothing to do goes straight to `compose`."""
    intents = state.get("intents", [])
    if not intents:
        return "compose"
    enabled = set(runtime.context.brand.workflows)
    runs = state.get("runs", {})
    human = HumanMessage(content=state["clean_text"], name="customer")
    sends: list[Send] = []
    unrouted: list[Intent] = []
    for intent in intents:
        name = intent["name"]
        if name == "handoff" or name not in enabled:
            unrouted.append(intent)
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
        reason = "customer_asked" if all(i["name"] == "handoff" for i in unrouted) else "not_enabled"
        run = runs.get("handoff") or new_run("handoff")
        sends.append(
            Send("handoff", {"intents": unrouted, "reason": reason, "turn": state["turn"], "run": run})
        )
    return sends
