"""`compose`: one reply covering every ask, in the customer's order; hand off only the unsolved part.

Each run's reply says what is true of its ask; a reply that hands something off ends with exactly
one handoff sentence (`state.handoffs.closing`), however many asks go to a person.

When `route` found nothing to answer (`routing.silence.nothing_to_answer`), no reply at all: the
AI closes the conversation silently and `billing` records `ai_closed_no_reply`. While a person is
awaited (`owner` `awaiting_human`), a message that only waits for them gets `ACKNOWLEDGE` when the
service says it is due, else no reply, which is not the AI closing anything.
"""

from __future__ import annotations

from typing import Any

from langchain_core.messages import AIMessage

from routing.ids import named_subscriptions
from routing.reading import Intent
from routing.silence import nothing_to_answer
from state.handoffs import reply_with_closing
from state.schema import Handoff, HandoffReason, TurnState, WorkflowRun

CLARIFY = (
    "Thanks for your message. Could you tell me what you need help with: an order, a subscription, a return?"
)
CLARIFY_SUBSCRIPTION = (
    "Thanks for your message. You mentioned subscription {sub}: what would you like to do with it?"
)
"""The clarifying question when the message names a subscription but asks nothing clear."""
ACKNOWLEDGE = "Thanks for your message. A colleague has your conversation and will reply here."
"""What a customer waiting for a person hears (once after the handoff, then at most once an hour)."""


def _run_for(intent: Intent, runs: dict[str, WorkflowRun], turn: int) -> WorkflowRun | None:
    run = runs.get(intent["name"])
    if run and run["turn"] == turn:
        return run
    handoff = runs.get("handoff")
    if handoff and handoff["turn"] == turn and intent["name"] in handoff["facts"].get("intents", []):
        return handoff
    return None


def clarifying_question(text: str) -> str:
    """What we ask when nothing in the message is a clear ask: about the subscription it names, if any."""
    subs = named_subscriptions(text)
    return CLARIFY_SUBSCRIPTION.format(sub=subs[0]) if subs else CLARIFY


def plan_reply(
    intents: list[Intent], runs: dict[str, WorkflowRun], turn: int, text: str = ""
) -> tuple[str, Handoff | None]:
    """The reply text and the handoff (unsolved intents only) for this turn."""
    parts: list[str] = []
    unresolved: list[str] = []
    reasons: list[HandoffReason] = []
    for intent in sorted(intents, key=lambda i: i["position"]):
        run = _run_for(intent, runs, turn)
        if run is None or run["status"] in ("handed_off", "failed"):
            unresolved.append(intent["name"])
            reasons.append((run or {}).get("handoff_reason") or "no_workflow")
        if run and run["reply"] and run["reply"] not in parts:
            parts.append(run["reply"])
    if not intents:
        parts.append(clarifying_question(text))
    said = "\n\n".join(parts)
    if not unresolved:
        return said, None
    answered = len(unresolved) < len(intents)
    return reply_with_closing(said, reasons, answered=answered), Handoff(
        reason=reasons[0], unresolved=unresolved
    )


async def compose(state: TurnState) -> dict[str, Any]:
    runs = state.get("runs", {})
    if not state.get("intents") and state.get("owner") == "awaiting_human":
        # the message only waits for the person: acknowledged now and then, never the AI's question
        return _said(state, ACKNOWLEDGE if state.get("acknowledge") else None, None)
    if not state.get("intents") and nothing_to_answer(state["clean_text"], list(runs.values())):
        return {"reply": None, "handoff": None}  # the AI closes without a reply (`billing` records it)
    reply, handoff = plan_reply(state.get("intents", []), runs, state["turn"], state["clean_text"])
    return _said(state, reply, handoff)


def _said(state: TurnState, reply: str | None, handoff: Handoff | None) -> dict[str, Any]:
    said: dict[str, Any] = {"reply": reply, "handoff": handoff}
    if reply is not None:
        said["messages"] = [AIMessage(content=reply, name="ai", id=f"out:{state['message_id']}")]
    return said
