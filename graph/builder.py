"""The main graph: sanitise -> repair -> route -> workflows (side by side) -> compose -> billing -> repair.

`build_graph()` returns the uncompiled builder; `compile_graph(checkpointer)` compiles it. The
workflow subgraphs are compiled once at import and shared by every brand; brand specifics reach
them as runtime context.
"""

from __future__ import annotations

from collections.abc import Mapping

from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph

from brands.context import BrandContext
from graph.workflows import address_change, cancel_subscription, handoff, order_status, returns_refunds
from nodes.billing import billing
from nodes.compose import compose
from nodes.repair import repair
from nodes.route import dispatch, route
from nodes.sanitise import sanitise
from state.schema import TurnInput, TurnOutput, TurnState

WORKFLOWS: Mapping[str, CompiledStateGraph] = {
    "order_status": order_status.graph,
    "cancel_subscription": cancel_subscription.graph,
    "returns_refunds": returns_refunds.graph,
    "address_change": address_change.graph,
    "handoff": handoff.graph,
}


def build_graph(workflows: Mapping[str, CompiledStateGraph] = WORKFLOWS) -> StateGraph:
    """The uncompiled main graph; `workflows` maps each workflow name to its subgraph."""
    builder = StateGraph(
        TurnState, context_schema=BrandContext, input_schema=TurnInput, output_schema=TurnOutput
    )
    builder.add_node("sanitise", sanitise)
    builder.add_node("repair", repair)
    builder.add_node("route", route)
    for name, subgraph in workflows.items():
        builder.add_node(name, subgraph)
        builder.add_edge(name, "compose")
    builder.add_node("compose", compose)
    builder.add_node("billing", billing)
    builder.add_node("repair_exit", repair)
    builder.add_edge(START, "sanitise")
    builder.add_edge("sanitise", "repair")
    builder.add_edge("repair", "route")
    builder.add_conditional_edges("route", dispatch, [*workflows, "compose"])
    builder.add_edge("compose", "billing")
    builder.add_edge("billing", "repair_exit")
    builder.add_edge("repair_exit", END)
    return builder


def compile_graph(
    checkpointer: BaseCheckpointSaver | None = None,
    workflows: Mapping[str, CompiledStateGraph] = WORKFLOWS,
) -> CompiledStateGraph:
    return build_graph(workflows).compile(checkpointer=checkpointer, name="support")
