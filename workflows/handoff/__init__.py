"""`handoff`: the asks we do not automate (not enabled for the brand, or a request for a human).

No model runs here: the run is handed off in code and names the intents it carries.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from langgraph.graph import START, StateGraph
from langgraph.graph.state import CompiledStateGraph
from typing_extensions import TypedDict

from routing.reading import Intent
from state.handoffs import why
from state.schema import WorkflowRun
from workflows.spec import RouterSpec, Workflow

NAME = "handoff"

REPLY = ""
"""Nothing of its own: `compose` ends the reply with the handoff sentence of the reason; only a write
asked by a customer who is not signed in (`unverified`) is explained first (`state.handoffs.WHY`)."""


class HandoffInput(TypedDict):
    intents: list[Intent]
    reason: str
    turn: int
    run: WorkflowRun


class HandoffOutput(TypedDict):
    runs: dict[str, WorkflowRun]


async def hand_off(state: HandoffInput) -> dict[str, Any]:
    # a coroutine although it never waits: LangGraph runs a plain-function node in a worker thread
    prior = state["run"]
    names = [i["name"] for i in state["intents"]]
    run = WorkflowRun(
        name=NAME, status="handed_off", turn=state["turn"], transcript=[],
        reply=why("unverified") if state["reason"] == "unverified" else REPLY,
        facts={"intents": names}, handoff_reason=state["reason"],
        refused_tool_calls=prior["refused_tool_calls"], version=prior["version"] + 1,
    )  # fmt: skip
    return {"runs": {NAME: run}}


def build(spec: Workflow) -> CompiledStateGraph:
    builder = StateGraph(HandoffInput, output_schema=HandoffOutput)
    builder.add_node("hand_off", hand_off)
    builder.add_edge(START, "hand_off")
    return builder.compile(name=spec.name)


WORKFLOW = Workflow(
    name=NAME,
    build=build,
    router=RouterSpec(
        description="speak to a person or customer service, file a complaint",
        classes=(NAME, "contact_human_agent", "contact_customer_service", "complaint"),
        examples=Path(__file__).with_name("router_examples.jsonl"),
    ),
)
"""Also where `route` sends asks no workflow of the brand takes (not enabled, or `other`)."""
