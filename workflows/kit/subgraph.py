"""The subgraph every model-driven workflow shares, drawn as what runs:

    START -> step -> agent <-> tools ; agent -> decide -> END        (step only with a policy)

- `step`: the policy's deterministic step, once per turn before any model call (it may call tools
  itself: those go to `tools` through the same guard as the model's);
- `agent`: one model call, bound to this workflow's tools only;
- `tools`: the policy's guard, then the executor (which refuses any tool outside the workflow);
- `decide`: the decision in code (the policy's, or the workflow's `decide`) that writes the run.

Invariants guarded here: the workflow's instructions are the first message of every model call,
on every turn, with the (bounded, pair-preserving) transcript after them; the model is bound to
this workflow's tools only, and the executor refuses anything else; the run's status is decided
by code, not by the model; a run never ends silent, nor with an internal error as its words.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Annotated, Any, Literal

import openai
from langchain_core.messages import AIMessage, AnyMessage, SystemMessage, ToolCall, ToolMessage
from langgraph.graph import END, START, StateGraph
from langgraph.graph.message import add_messages
from langgraph.graph.state import CompiledStateGraph
from langgraph.runtime import Runtime
from typing_extensions import TypedDict

from brands.context import BrandContext
from routing.reading import Intent
from state.handoffs import why
from state.schema import MAX_TRANSCRIPT, WorkflowRun
from state.tool_calls import trim_keeping_pairs
from tools import deadline, metrics, model_costs
from tools.envelope import DATA_RULE
from tools.errors import error_code, error_message
from tools.executor import execute
from tools.model import get_chat_model
from workflows.kit.policy import Outcome, Policy, Refusal
from workflows.kit.reply_guard import guard_reply, third_party_texts
from workflows.kit.transcript import REFUSED_PREFIX, lookups, results, speakable

if TYPE_CHECKING:
    from workflows.spec import Workflow

log = logging.getLogger(__name__)

MODEL_UNAVAILABLE = (openai.APIConnectionError, openai.RateLimitError, openai.InternalServerError)
"""What the model endpoint raises once its client's own retries are spent: timeouts, 429, 5xx."""
MODEL_DOWN = Outcome("handed_off", why("model_unavailable"), "model_unavailable")
"""The model endpoint failed (its client's retries spent) before the turn's deadline."""
OUT_OF_TIME = Outcome("handed_off", why("deadline"), "deadline")
"""The turn's deadline came before the work was done (a slow model, slow lookups)."""
NO_REPLY = why("no_reply")
"""The reply of a run that would otherwise end with nothing to say to the customer."""


def failed_lookup(failed: Sequence[ToolMessage]) -> Outcome:
    """A lookup the workflow needs did not give its record (not "not found"): a person takes the
    intent, told the true class: no time left, a call outside the workflow refused, or a failure."""
    codes = {error_code(m) for m in failed}
    if "deadline" in codes:
        return OUT_OF_TIME
    if codes and codes <= {"tool_not_allowed", "policy_refused"}:
        return Outcome("handed_off", why("tool_refused"), "tool_refused")
    return Outcome("handed_off", why("tool_failed"), "tool_failed")


class WorkflowInput(TypedDict):
    intent: Intent
    run: WorkflowRun
    turn: int
    transcript: list[AnyMessage]


class WorkflowState(TypedDict, total=False):
    intent: Intent
    run: WorkflowRun
    turn: int
    transcript: Annotated[list[AnyMessage], add_messages]
    facts: dict[str, Any]
    """The run's facts as this turn updates them (policy state); merged into the run by `decide`."""
    model_calls: int
    model_down: bool
    """The model endpoint failed this turn (its client's retries spent)."""
    out_of_time: bool
    """The turn's deadline came before or during a model call."""
    refused: int
    policy_refusals: int
    runs: dict[str, WorkflowRun]


class WorkflowOutput(TypedDict):
    runs: dict[str, WorkflowRun]


def system_prompt(spec: Workflow, ctx: BrandContext) -> SystemMessage:
    brand = ctx.brand
    return SystemMessage(
        content=f"{spec.instructions}\n\nYou answer for {brand.display_name}. Tone: {brand.tone}.\n{DATA_RULE}"
    )


def _facts(state: WorkflowState) -> dict[str, Any]:
    return state.get("facts", state["run"]["facts"])


def _outcome(spec: Workflow, state: WorkflowState, ctx: BrandContext) -> Outcome:
    """The run's outcome, decided in code."""
    transcript = state["transcript"]
    stopped = OUT_OF_TIME if state.get("out_of_time") else MODEL_DOWN if state.get("model_down") else None
    if stopped is not None:
        acted = bool(results(transcript))
        if spec.policy is None or not acted:
            return stopped
        # the policy's own calls ran this turn (a lookup, a refund, a write): its decision says
        # what they did; "nothing was done" would be false after a write
    if spec.policy is not None:
        return spec.policy.decide(transcript, _facts(state), state["turn"], ctx)
    if spec.decide is not None:
        return spec.decide(transcript)
    raise ValueError(f"workflow {spec.name!r} has no way to decide")  # excluded by Workflow


def finish(spec: Workflow, state: WorkflowState, outcome: Outcome, ctx: BrandContext) -> dict[str, Any]:
    """The run as this turn leaves it; its reply passes the structural reply guard."""
    transcript = state["transcript"]
    facts = _facts(state)
    if outcome.reply:
        texts = third_party_texts(transcript)
        guarded, kinds = guard_reply(outcome.reply, texts, show_notes=ctx.brand.show_order_notes)
        for kind in kinds:
            metrics.count_guarded_relay(ctx.brand_id, spec.name, kind)
        outcome = replace(outcome, reply=guarded)
    if not speakable(outcome.reply, transcript):
        # A run never ends silent, nor with an internal error as its words: e.g. planted lookups
        # spent the model-call budget on tool steps, or the model repeated a refusal to the customer.
        outcome = Outcome("handed_off", NO_REPLY, "no_reply", outcome.facts)
    prior = state["run"]
    refusals = prior["facts"].get("policy_refusals", 0) + state.get("policy_refusals", 0)
    run = WorkflowRun(
        name=spec.name,
        status=outcome.status,
        turn=state["turn"],
        transcript=trim_keeping_pairs(transcript, MAX_TRANSCRIPT),
        reply=outcome.reply,
        facts={
            **facts,
            **outcome.facts,
            "intent": state["intent"]["name"],
            "lookups": lookups(transcript),
            **({"policy_refusals": refusals} if spec.policy else {}),
        },
        handoff_reason=outcome.handoff_reason,
        refused_tool_calls=prior["refused_tool_calls"] + state.get("refused", 0),
        version=prior["version"] + 1,
    )
    return {"runs": {spec.name: run}}


async def run_tools(
    spec: Workflow, state: WorkflowState, calls: Sequence[ToolCall], ctx: BrandContext
) -> dict[str, Any]:
    """Execute `calls` after the policy's guard: a refused precondition is an error result, counted."""
    policy: Policy[Any] | None = spec.policy
    facts = _facts(state)
    answered: dict[str, ToolMessage] = {}
    allowed: list[ToolCall] = []
    for call in calls:
        verdict = policy.guard(call, facts, state["turn"], ctx) if policy is not None else call
        if isinstance(verdict, Refusal):
            metrics.count_policy_refusal(ctx.brand_id, spec.name, verdict.rule)
            log.warning(
                "policy refused %s in workflow %s for brand %s: %s (%s)",
                call["name"], spec.name, ctx.brand_id, verdict.reason, verdict.rule,
            )  # fmt: skip
            answered[call["id"] or ""] = error_message(
                call, "policy_refused", f"{REFUSED_PREFIX}{verdict.reason}"
            )
        else:
            allowed.append(verdict)
    done = await execute(allowed, spec.tools, ctx, spec.name)
    answered.update({m.tool_call_id: m for m in done.messages})
    return {
        "transcript": [answered[c["id"] or ""] for c in calls],
        "refused": state.get("refused", 0) + done.refused,
        "policy_refusals": state.get("policy_refusals", 0) + len(calls) - len(allowed),
    }


def build_subgraph(spec: Workflow) -> CompiledStateGraph:
    """Compile `spec` into its subgraph: [step ->] agent <-> tools, agent -> decide."""
    tools_schema = [t.as_openai_tool() for t in spec.tools]
    policy = spec.policy

    async def step(state: WorkflowState, runtime: Runtime[BrandContext]) -> dict[str, Any]:
        facts = dict(state["run"]["facts"])
        if policy is None:
            return {"facts": facts}
        decided = policy.step(state["transcript"], facts, state["turn"], runtime.context)
        update: dict[str, Any] = {"facts": {**facts, **decided.facts}}
        if decided.calls:
            update["transcript"] = [AIMessage(content="", tool_calls=list(decided.calls))]
        return update

    async def agent(state: WorkflowState, runtime: Runtime[BrandContext]) -> dict[str, Any]:
        calls = state.get("model_calls", 0)
        if deadline.exhausted():
            return {"out_of_time": True}
        model = get_chat_model().bind_tools(tools_schema)
        history = trim_keeping_pairs(state["transcript"], MAX_TRANSCRIPT)
        try:
            async with asyncio.timeout(deadline.remaining()):  # across the client's own retries
                ai = await model.ainvoke(
                    [system_prompt(spec, runtime.context), *history],
                    config=model_costs.costed(spec.name, runtime.context),
                )
        except TimeoutError:
            log.warning("turn deadline reached in a model call of workflow %s", spec.name)
            return {"out_of_time": True, "model_calls": calls + 1}
        except MODEL_UNAVAILABLE as exc:
            log.warning(
                "model unavailable in workflow %s for brand %s: %r", spec.name, runtime.context.brand_id, exc
            )
            return {"model_down": True, "model_calls": calls + 1}
        metrics.count_model_call(runtime.context.brand_id, spec.name, ai)
        return {"transcript": [ai], "model_calls": calls + 1}

    async def tools(state: WorkflowState, runtime: Runtime[BrandContext]) -> dict[str, Any]:
        last = state["transcript"][-1]
        calls = last.tool_calls if isinstance(last, AIMessage) else []
        return await run_tools(spec, state, calls, runtime.context)

    async def decide(state: WorkflowState, runtime: Runtime[BrandContext]) -> dict[str, Any]:
        return finish(spec, state, _outcome(spec, state, runtime.context), runtime.context)

    # edges are coroutines although they never wait: LangGraph runs a plain-function edge in a worker thread
    async def after_step(state: WorkflowState) -> Literal["tools", "agent"]:
        return "tools" if _wants_tools(state) else "agent"

    async def after_agent(state: WorkflowState) -> Literal["tools", "decide"]:
        stopped = state.get("model_down") or state.get("out_of_time")
        return "tools" if not stopped and _wants_tools(state) else "decide"

    async def after_tools(state: WorkflowState) -> Literal["agent", "decide"]:
        return "agent" if state.get("model_calls", 0) < spec.max_model_calls else "decide"

    builder = StateGraph(
        WorkflowState, context_schema=BrandContext, input_schema=WorkflowInput, output_schema=WorkflowOutput
    )
    if policy is not None:
        builder.add_node("step", step)
    builder.add_node("agent", agent)
    builder.add_node("tools", tools)
    builder.add_node("decide", decide)
    if policy is not None:
        builder.add_edge(START, "step")
        builder.add_conditional_edges("step", after_step)
    else:
        builder.add_edge(START, "agent")
    builder.add_conditional_edges("agent", after_agent)
    builder.add_conditional_edges("tools", after_tools)
    builder.add_edge("decide", END)
    return builder.compile(name=spec.name)


def _wants_tools(state: WorkflowState) -> bool:
    last = state["transcript"][-1] if state.get("transcript") else None
    return isinstance(last, AIMessage) and bool(last.tool_calls)
