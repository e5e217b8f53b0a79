"""`repair`: heal dangling tool calls before any model reads the thread, and before it is saved.

Runs at the graph's entry and again at its exit. Looks in the customer-visible messages and in
every workflow's transcript; each healed call is logged and counted in `repairs`.
"""

from __future__ import annotations

import logging
from typing import Any

from langchain_core.messages import RemoveMessage
from langgraph.graph.message import REMOVE_ALL_MESSAGES

from state.schema import TurnState, WorkflowRun
from state.tool_calls import heal
from tools import metrics

log = logging.getLogger(__name__)


async def repair(state: TurnState) -> dict[str, Any]:
    update: dict[str, Any] = {}
    total = 0
    messages, healed = heal(state.get("messages", []))
    if healed:
        total += healed
        update["messages"] = [RemoveMessage(id=REMOVE_ALL_MESSAGES), *messages]
    runs: dict[str, WorkflowRun] = {}
    for name, run in state.get("runs", {}).items():
        transcript, healed = heal(run["transcript"])
        if healed:
            total += healed
            runs[name] = {**run, "transcript": transcript, "version": run["version"] + 1}
    if runs:
        update["runs"] = runs
    if total:
        log.warning("repaired %d dangling tool call(s) at turn %s", total, state.get("turn"))
        update["repairs"] = total
        metrics.count_repairs(metrics.run_brand(), total)
    return update
