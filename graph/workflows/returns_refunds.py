"""`returns_refunds`: return an order for a refund, within brand policy, after a bound confirmation.

Policy in code (ARCHITECTURE invariant 3), never in the prompt; the turns go:
1. the customer names an order: the code looks it up (`get_order_for_return`) and decides with
   `graph.workflows.policy.return_refusal` from the brand's `returns` configuration (window from
   the first shipment, refund cap, currency). Not shipped, already refunded, outside the window or
   above the cap: the intent is handed off with that reason and nothing is written. Within policy
   the reply says the amount (the order's total) and asks to confirm it (`facts["asked"]`);
2. a later turn says yes, naming no other order or amount: the code records the confirmation
   (`facts["confirmed"]`, bound to the order, amount and currency asked) and calls `issue_refund`
   itself, with an idempotency key derived from the conversation, the order and the amount. The
   tool re-checks the live order; a changed amount needs a new confirmation. A yes to another
   amount or order confirms nothing.

Every `issue_refund` call, the model's or the code's, passes `ReturnsPolicy.guard`
(`policy.refund_refusal`): no confirmation, another order or amount than confirmed, above the cap,
outside the window (at the guard's own clock) or already refunded is an error result the model
sees, counted in `facts["policy_refusals"]` and the `support_policy_refusals` metric, and logged.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
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
    ReturnRefusal,
    as_amount,
    confirms_refund,
    named_amounts,
    named_orders,
    read_refund_answer,
    refund_idempotency_key,
    refund_refusal,
    return_refusal,
)
from tools.returns import GET_ORDER_FOR_RETURN, ISSUE_REFUND

INSTRUCTIONS = """You are the returns-and-refunds workflow of a customer-support team.
- Look the order up with get_order_for_return before saying anything about a return or refund.
- If you do not have an order number, ask the customer for it.
- Never promise or refuse a refund yourself, and never say a refund is done unless issue_refund
  succeeded: the refund needs the customer's confirmation of the order and amount first, and the
  system decides and enforces the policy from the store's data."""

ASK_ORDER = "Which order would you like to return? Its number looks like 1001."

WHY: Mapping[ReturnRefusal, str] = {
    "not_shipped": "it has not shipped yet, so it is a change to the order rather than a return",
    "already_refunded": "it has already been refunded",
    "currency_not_covered": "it was paid in a currency I cannot refund automatically",
    "outside_return_window": "it shipped more than {days} days ago, outside our return window",
    "above_refund_cap": "its total is above what I can refund without a colleague",
}


def utc_now() -> datetime:
    return datetime.now(UTC)


def confirm_text(asked: Mapping[str, Any]) -> str:
    return (
        f"Please confirm: shall I refund {asked['amount']} {asked['currency']} for order {asked['order']}? "
        "Reply yes to confirm."
    )


def ask_text(asked: Mapping[str, Any], window_days: int) -> str:
    return (
        f"Order {asked['order']} can be returned: it is within our {window_days}-day return window, "
        f"so I can refund its total of {asked['amount']} {asked['currency']}. {confirm_text(asked)}"
    )


def customer_text(transcript: Sequence[AnyMessage]) -> str:
    for message in reversed(transcript):
        if isinstance(message, HumanMessage):
            return message.text
    return ""


def _results(transcript: Sequence[AnyMessage], name: str) -> list[ToolMessage]:
    return [m for m in this_turn(transcript) if isinstance(m, ToolMessage) and m.name == name]


def _lookup(order: str, turn: int) -> ToolCall:
    args = {"order_number": order.lstrip("#")}
    return ToolCall(name=GET_ORDER_FOR_RETURN.name, args=args, id=f"policy-{turn}-lookup", type="tool_call")


def _refund(confirmed: Mapping[str, Any], turn: int) -> ToolCall:
    args = {"order_number": str(confirmed["order"]).lstrip("#")}  # the guard sets the confirmed amount
    return ToolCall(name=ISSUE_REFUND.name, args=args, id=f"policy-{turn}-refund", type="tool_call")


class ReturnsPolicy(Policy):
    def __init__(self, clock: Callable[[], datetime] = utc_now) -> None:
        self.clock = clock
        """The edge where time enters: the pure policy gets `now` as an argument."""

    def step(
        self, transcript: Sequence[AnyMessage], facts: Mapping[str, Any], turn: int, ctx: BrandContext
    ) -> Step:
        """Read the customer's answer to our ask, in code; look the named order up or refund ourselves."""
        del ctx
        text = customer_text(transcript)
        asked = facts.get("asked")
        if asked and int(asked["turn"]) < turn:
            if confirms_refund(text, asked, turn):
                confirmed = {**asked, "turn": turn}
                return Step((_refund(confirmed, turn),), {"confirmed": confirmed})
            if read_refund_answer(text) == "no" and not named_orders(text):
                return Step(facts={"declined": turn, "asked": None, "confirmed": None})
        named = sorted(named_orders(text))
        if not named:
            return Step()
        moved = {"asked": None, "confirmed": None} if asked and asked["order"] not in named else {}
        return Step((_lookup(named[0], turn),), moved)  # a new ask: look it up first, in code

    def guard(
        self, call: ToolCall, facts: Mapping[str, Any], turn: int, ctx: BrandContext
    ) -> ToolCall | Refusal:
        if call["name"] != ISSUE_REFUND.name:
            return call
        order = f"#{str(call['args'].get('order_number', '')).lstrip('#')}"
        rules = ctx.brand.returns
        refusal = refund_refusal(
            order, call["args"].get("amount"), facts, turn, self.clock(),
            rules.window_days, rules.refund_cap, rules.currency,
        )  # fmt: skip
        if refusal is not None:
            return refusal
        confirmed = facts["confirmed"]
        key = refund_idempotency_key(
            ctx.brand_id, ctx.conversation_id, confirmed["order"], confirmed["amount"]
        )
        args = {"order_number": order.lstrip("#"), "amount": str(confirmed["amount"]), "idempotency_key": key}
        return ToolCall(name=call["name"], args=args, id=call["id"], type="tool_call")  # set in code

    def decide(
        self, transcript: Sequence[AnyMessage], facts: Mapping[str, Any], turn: int, ctx: BrandContext
    ) -> Outcome:
        refunds = _results(transcript, ISSUE_REFUND.name)
        done = [m for m in refunds if m.status != "error"]
        if done:
            refund = done[0].artifact["refund"]
            reply = (
                f"Done: I have refunded {refund['amount']} {refund['currency']} for order {refund['order']}. "
                "It goes back to your original payment method."
            )
            refunded = {**(facts.get("refunded") or {}), refund["order"]: {**refund, "turn": turn}}
            used = {"refunded": refunded, "asked": None, "confirmed": None}  # one confirmation, one refund
            return Outcome("resolved", reply, facts=used)
        confirmed = facts.get("confirmed")
        if confirmed and int(confirmed["turn"]) == turn and refunds:
            return self._not_refunded(refunds[0], confirmed, facts, turn, ctx)
        if facts.get("declined") == turn:
            return Outcome("resolved", "All right, I have not refunded anything.")
        return self._after_lookup(transcript, facts, turn, ctx) or self._fallback(transcript, facts, turn)

    def _not_refunded(
        self,
        result: ToolMessage,
        confirmed: Mapping[str, Any],
        facts: Mapping[str, Any],
        turn: int,
        ctx: BrandContext,
    ) -> Outcome:
        """Our own confirmed refund did not go through: say why, ask again or hand off."""
        rules = ctx.brand.returns
        refusal = refund_refusal(
            str(confirmed["order"]), None, facts, turn, self.clock(),
            rules.window_days, rules.refund_cap, rules.currency,
        )  # fmt: skip
        cleared = {"asked": None, "confirmed": None}
        if refusal is not None and refusal.rule in WHY:
            why = WHY[refusal.rule].format(days=rules.window_days)  # type: ignore[index]  # checked above
            reply = f"I cannot refund order {confirmed['order']} myself: {why}. I have passed it to a colleague, who will reply here."
            return Outcome("handed_off", reply, refusal.rule, facts=cleared)
        reason = result.text.removeprefix("Error: ")
        if "a new confirmation is needed" in reason:
            reply = f"I have not refunded it: {reason}. Tell me the order number again if you still want a refund."
            return Outcome("waiting", reply, facts=cleared)
        return Outcome(
            "handed_off",
            "I could not issue the refund right now, so I have passed it to a colleague, who will reply here.",
            "tool_failed",
            facts=cleared,
        )

    def _after_lookup(
        self, transcript: Sequence[AnyMessage], facts: Mapping[str, Any], turn: int, ctx: BrandContext
    ) -> Outcome | None:
        found = [m for m in _results(transcript, GET_ORDER_FOR_RETURN.name) if m.status != "error"]
        if not found:
            return None
        order = found[-1].artifact["order"]
        rules = ctx.brand.returns
        known = {**(facts.get("orders") or {}), order["order"]: order}
        refusal = return_refusal(order, self.clock(), rules.window_days, rules.refund_cap, rules.currency)
        if refusal is not None:
            why = WHY[refusal].format(days=rules.window_days)
            reply = f"I cannot approve a return of order {order['order']} myself: {why}. I have passed it to a colleague, who will reply here."
            remembered = {
                "orders": known,
                "return": {**order, "refusal": refusal},
                "asked": None,
                "confirmed": None,
            }
            return Outcome("handed_off", reply, refusal, facts=remembered)
        asked = {**order, "amount": order["total"], "turn": turn}
        remembered = {
            "orders": known,
            "return": {**order, "refusal": None},
            "asked": asked,
            "confirmed": None,
        }
        return Outcome("waiting", ask_text(asked, rules.window_days), facts=remembered)

    def _fallback(self, transcript: Sequence[AnyMessage], facts: Mapping[str, Any], turn: int) -> Outcome:
        """No lookup and no refund this turn: say why, or ask again what is still open."""
        lookups = _results(transcript, GET_ORDER_FOR_RETURN.name)
        if any("not found" in m.text for m in lookups):
            return Outcome("waiting", "I could not find that order. Could you check the number?")
        if lookups:
            return LOOKUP_FAILED
        asked = facts.get("asked")
        if asked:
            other = named_amounts(customer_text(transcript)) - {as_amount(asked["amount"])}
            note = (
                f"I can only refund the order's total, {asked['amount']} {asked['currency']}. "
                if other
                else ""
            )
            asked_again = {"asked": {**asked, "turn": turn}}  # a yes now counts in the next turn
            return Outcome("waiting", note + confirm_text(asked), facts=asked_again)
        refused = refusal_reasons(transcript, ISSUE_REFUND.name)
        if refused:
            reason = refused[0]
            return Outcome("waiting", f"I cannot refund anything yet: {reason}. {ASK_ORDER}")
        return Outcome("waiting", final_text(transcript) or ASK_ORDER)


SPEC = WorkflowSpec(
    name="returns_refunds",
    instructions=INSTRUCTIONS,
    tools=(GET_ORDER_FOR_RETURN, ISSUE_REFUND),
    policy=ReturnsPolicy(),
)
graph = build_workflow(SPEC)
