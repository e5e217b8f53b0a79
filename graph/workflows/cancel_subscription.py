"""`cancel_subscription`: lookup, the brand's retention offer once, a bound confirmation, the cancel.

Policy in code (ARCHITECTURE invariant 3), never in the prompt; the turns go:
1. the customer asks to cancel `sub_x`: the code looks it up and the reply makes the brand's
   retention offer (`facts["offer"]`: the subscription's terms and the turn);
2. a later turn declines it: the code looks the subscription up again and asks to confirm
   cancelling it at its current terms (`facts["asked"]`); accepting the offer hands off to a
   colleague who applies it;
3. a later turn says yes: the code records the confirmation (`facts["confirmed"]`, bound to the
   asked terms) and calls the cancel itself, with an idempotency key derived from the brand and
   the confirmation. The tool re-checks the terms; a changed price needs a new confirmation.

Every cancel call, the model's or the code's, passes `CancelPolicy.guard`: a refused precondition
is an error result the model sees, counted in `facts["policy_refusals"]` and in the
`support_policy_refusals` metric (by rule), and logged. Confirmation and decline are read from the
customer's text in code (`graph/workflows/policy.py`), never by the model.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from langchain_core.messages import AnyMessage, HumanMessage, ToolCall, ToolMessage

from brands.context import BrandContext
from graph.workflows.base import (
    LOOKUP_FAILED,
    Outcome,
    Policy,
    Step,
    WorkflowSpec,
    build_workflow,
    final_text,
    refusal_reasons,
    this_turn,
)
from graph.workflows.policy import (
    Refusal,
    cancel_refusal,
    confirms,
    idempotency_key,
    named_subscriptions,
    read_confirmation,
    read_offer_answer,
)
from tools.subscriptions import CANCEL_SUBSCRIPTION, GET_SUBSCRIPTION

INSTRUCTIONS = """You are the subscription-cancellation workflow of a customer-support team.
- Look the subscription up with get_subscription before saying anything about it.
- If you do not have a subscription id, ask the customer for it.
- Never say a subscription is cancelled unless cancel_subscription succeeded: the cancellation
  needs the retention offer and the customer's confirmation first, and the system enforces both."""

ASK_ID = "Which subscription would you like to cancel? Its id looks like sub_501."


def _terms(facts_step: Mapping[str, Any]) -> str:
    return f"{facts_step['product']}, {facts_step['price']} every {facts_step['interval']}"


def offer_text(ctx: BrandContext) -> str:
    offer = ctx.brand.subscriptions.retention_offer
    if offer is None:
        return ""
    terms = f" ({offer.terms})" if offer.terms else ""
    return f" Before you go: we can give you {offer.text}{terms}. Would you like that instead, or shall I cancel?"


def confirm_text(asked: Mapping[str, Any]) -> str:
    return (
        f"Please confirm: shall I cancel subscription {asked['subscription_id']} ({_terms(asked)})? "
        "Reply yes to cancel it."
    )


def customer_text(transcript: Sequence[AnyMessage]) -> str:
    for message in reversed(transcript):
        if isinstance(message, HumanMessage):
            return message.text
    return ""


def data_text(message: ToolMessage) -> str:
    """A tool result's text (sanitised) without its data-envelope tag lines."""
    lines = [line for line in message.text.splitlines() if not line.startswith(("<tool_data", "</tool_data"))]
    return " ".join(lines).strip()


def _call(name: str, subscription_id: str, turn: int) -> ToolCall:
    return ToolCall(
        name=name, args={"subscription_id": subscription_id}, id=f"policy-{turn}-{name}", type="tool_call"
    )


def _tool_results(transcript: Sequence[AnyMessage], name: str) -> list[ToolMessage]:
    return [m for m in this_turn(transcript) if isinstance(m, ToolMessage) and m.name == name]


class CancelPolicy(Policy):
    def step(
        self, transcript: Sequence[AnyMessage], facts: Mapping[str, Any], turn: int, ctx: BrandContext
    ) -> Step:
        """Read the customer's answer to what we asked last, in code; look up or cancel ourselves."""
        del ctx
        text = customer_text(transcript)
        asked, offer = facts.get("asked"), facts.get("offer")
        if asked and not facts.get("cancelled") and int(asked["turn"]) < turn:
            if confirms(text, asked, turn):
                confirmed = {**asked, "turn": turn}
                return Step(
                    (_call(CANCEL_SUBSCRIPTION.name, asked["subscription_id"], turn),),
                    {"confirmed": confirmed},
                )
            if read_confirmation(text) == "no" and not named_subscriptions(text):
                return Step(facts={"kept": turn})
        elif (
            offer
            and not asked
            and int(offer["turn"]) < turn
            and not named_subscriptions(text) - {offer["subscription_id"]}
        ):
            answer = read_offer_answer(text)
            if answer == "decline":
                return Step(
                    (_call(GET_SUBSCRIPTION.name, offer["subscription_id"], turn),), {"declined": turn}
                )
            if answer == "accept":
                return Step(facts={"accepted": turn})
        named = sorted(named_subscriptions(text))
        if named:  # a (new) ask naming a subscription: look it up first, in code
            return Step((_call(GET_SUBSCRIPTION.name, named[0], turn),))
        return Step()

    def guard(
        self, call: ToolCall, facts: Mapping[str, Any], turn: int, ctx: BrandContext
    ) -> ToolCall | Refusal:
        if call["name"] != CANCEL_SUBSCRIPTION.name:
            return call
        subscription_id = str(call["args"].get("subscription_id", ""))
        refusal = cancel_refusal(subscription_id, facts, turn)
        if refusal is not None:
            return refusal
        confirmed = facts["confirmed"]
        args = {
            "subscription_id": subscription_id,
            "idempotency_key": idempotency_key(ctx.brand_id, confirmed),
            "confirmed_price": str(confirmed["price"]),
            "confirmed_interval": str(confirmed["interval"]),
        }  # set in code: whatever hidden values the model sent are overwritten
        return ToolCall(name=call["name"], args=args, id=call["id"], type="tool_call")

    def decide(
        self, transcript: Sequence[AnyMessage], facts: Mapping[str, Any], turn: int, ctx: BrandContext
    ) -> Outcome:
        cancels = _tool_results(transcript, CANCEL_SUBSCRIPTION.name)
        done = [m for m in cancels if m.status != "error"]
        if done:
            sub = done[0].artifact["subscription"]
            reply = f"Done: subscription {sub['subscription_id']} ({sub['product']}) is cancelled. You will not be charged again."
            used = {
                "cancelled": {**sub, "turn": turn},
                "asked": None,
                "confirmed": None,
            }  # one confirmation, one cancel
            return Outcome("resolved", reply, facts=used)
        confirmed = facts.get("confirmed")
        if confirmed and int(confirmed["turn"]) == turn and cancels:
            reason = cancels[0].text.removeprefix("Error: ")
            if "terms changed" in reason:  # bound to the old terms: ask again, at the new ones
                return Outcome(
                    "waiting",
                    f"I have not cancelled it: {reason}. Tell me if you still want it cancelled.",
                    facts={"asked": None, "confirmed": None},
                )
            return Outcome(
                "handed_off",
                "I could not cancel it right now, so I have passed it to a colleague, who will reply here.",
                "tool_failed",
                facts={"confirmed": None},
            )
        if facts.get("accepted") == turn:
            return Outcome(
                "handed_off",
                "Glad you are staying! I have passed the offer to a colleague, who will apply it and confirm here.",
                "retention_offer_accepted",
            )
        if facts.get("kept") == turn:
            return Outcome(
                "resolved", "All right, I have not cancelled anything: your subscription stays active."
            )
        return self._after_lookup(transcript, facts, turn, ctx) or self._fallback(
            transcript, facts, turn, ctx
        )

    def _after_lookup(
        self, transcript: Sequence[AnyMessage], facts: Mapping[str, Any], turn: int, ctx: BrandContext
    ) -> Outcome | None:
        found = [m for m in _tool_results(transcript, GET_SUBSCRIPTION.name) if m.status != "error"]
        if not found:
            return None
        sub = found[-1].artifact["subscription"]
        described = data_text(found[-1])
        if sub["status"] != "active":
            return Outcome("resolved", f"{described} It is not active, so there is nothing to cancel.")
        offer = facts.get("offer")
        no_offer = ctx.brand.subscriptions.retention_offer is None
        terms = {**sub, "turn": turn}
        if not (offer and offer["subscription_id"] == sub["subscription_id"] and int(offer["turn"]) < turn):
            # a new ask: make the offer (once); a brand without one asks to confirm at once
            reply = f"{described} {confirm_text(terms)}" if no_offer else f"{described}{offer_text(ctx)}"
            made = {
                "offer": terms,
                "asked": terms if no_offer else None,
                "confirmed": None,
                "cancelled": None,
            }
            return Outcome("waiting", reply, facts=made)
        asked = facts.get("asked")
        already_asked = asked is not None and asked["subscription_id"] == sub["subscription_id"]
        if facts.get("declined") == turn or no_offer or already_asked:  # (again) the confirmation question
            return Outcome("waiting", confirm_text(terms), facts={"asked": terms, "confirmed": None})
        return Outcome("waiting", f"{described}{offer_text(ctx)}")  # not answered yet: the offer stands

    def _fallback(
        self, transcript: Sequence[AnyMessage], facts: Mapping[str, Any], turn: int, ctx: BrandContext
    ) -> Outcome:
        """No lookup and no cancel this turn: say why, or ask again what is still open."""
        refused = refusal_reasons(transcript, CANCEL_SUBSCRIPTION.name)
        asked = facts.get("asked")
        if refused:
            reason = refused[0]
            if asked and not facts.get("cancelled"):  # the question still stands: asked again
                again = f"I cannot cancel anything yet: {reason}. {confirm_text(asked)}"
                return Outcome("waiting", again, facts={"asked": {**asked, "turn": turn}})
            return Outcome("waiting", f"I cannot cancel anything yet: {reason}. {ASK_ID}")
        errors = [m for m in this_turn(transcript) if isinstance(m, ToolMessage) and m.status == "error"]
        if any("not found" in m.text for m in errors):
            return Outcome("waiting", "I could not find that subscription. Could you check the id?")
        if errors:
            return LOOKUP_FAILED
        offer = facts.get("offer")
        if asked and not facts.get("cancelled"):  # asked again: a yes now counts in the next turn
            return Outcome("waiting", confirm_text(asked), facts={"asked": {**asked, "turn": turn}})
        if offer and not facts.get("cancelled") and ctx.brand.subscriptions.retention_offer is not None:
            return Outcome("waiting", f"About subscription {offer['subscription_id']}:{offer_text(ctx)}")
        return Outcome("waiting", final_text(transcript) or ASK_ID)


SPEC = WorkflowSpec(
    name="cancel_subscription",
    instructions=INSTRUCTIONS,
    tools=(GET_SUBSCRIPTION, CANCEL_SUBSCRIPTION),
    policy=CancelPolicy(),
)
graph = build_workflow(SPEC)
