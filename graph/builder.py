"""The main graph: sanitise -> repair -> route -> workflows (side by side) -> compose -> billing -> repair.

`build_graph()` returns the uncompiled builder; `compile_graph(checkpointer)` compiles it. The
workflows are the registry's (`workflows.registry.REGISTRY`, or another registry: a test's own
workflow); their subgraphs are compiled once at import and shared by every brand, and brand
specifics reach them as runtime context.
"""

from __future__ import annotations

from typing import Any

from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph
from langgraph.runtime import Runtime
from langgraph.types import Send

from brands.context import BrandContext
from nodes.billing import billing
from nodes.compose import compose
from nodes.repair import repair
from nodes.route import dispatch, route
from nodes.sanitise import sanitise
from state.schema import TurnInput, TurnOutput, TurnState
from workflows.registry import REGISTRY, Registry


def build_graph(registry: Registry = REGISTRY) -> StateGraph:
    """The uncompiled main graph, with one subgraph node per workflow of `registry`."""
    workflows = registry.graphs()

    async def route_asks(state: TurnState, runtime: Runtime[BrandContext]) -> dict[str, Any]:
        return await route(state, registry, runtime.context)

    def dispatch_asks(state: TurnState, runtime: Runtime[BrandContext]) -> list[Send] | str:
        return dispatch(state, runtime, registry)

    builder = StateGraph(
        TurnState, context_schema=BrandContext, input_schema=TurnInput, output_schema=TurnOutput
    )
    builder.add_node("sanitise", sanitise)
    builder.add_node("repair", repair)
    builder.add_node("route", route_asks)
    for name, subgraph in workflows.items():
        builder.add_node(name, subgraph)
        builder.add_edge(name, "compose")
    builder.add_node("compose", compose)
    builder.add_node("billing", billing)
    builder.add_node("repair_exit", repair)
    builder.add_edge(START, "sanitise")
    builder.add_edge("sanitise", "repair")
    builder.add_edge("repair", "route")
    builder.add_conditional_edges("route", dispatch_asks, [*workflows, "compose"])
    builder.add_edge("compose", "billing")
    builder.add_edge("billing", "repair_exit")
    builder.add_edge("repair_exit", END)
    return builder


def compile_graph(
    checkpointer: BaseCheckpointSaver | None = None, registry: Registry = REGISTRY
) -> CompiledStateGraph:
    return build_graph(registry).compile(checkpointer=checkpointer, name="support")
