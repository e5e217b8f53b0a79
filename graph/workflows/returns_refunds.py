"""`returns_refunds`: may this order be returned for a refund? Decided in code from brand policy.

The eligibility window and the refund cap come from the brand's `returns` configuration; the
decision is `graph.workflows.policy.return_refusal`, never the model's. Outside the window,
above the cap, not shipped yet or already refunded: the intent is handed off with that reason.
Within policy the customer is told the return is eligible and what it would refund, and the
issuing is handed to a colleague (reason `refund_needs_agent`): the store has no refund endpoint
yet, so no refund is written here (see the module docstring of
`tools/returns.py`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from langchain_core.messages import AnyMessage, ToolMessage

from brands.context import BrandContext
from graph.workflows.base import Outcome, Policy, WorkflowSpec, build_workflow, standard_outcome, this_turn
from graph.workflows.policy import ReturnRefusal, return_refusal
from tools.returns import GET_ORDER_FOR_RETURN

INSTRUCTIONS = """You are the returns-and-refunds workflow of a customer-support team.
- Look the order up with get_order_for_return before saying anything about a return or refund.
- If you do not have an order number, ask the customer for it.
- Never promise or refuse a refund yourself: the system decides from the store's data."""

WHY: Mapping[ReturnRefusal, str] = {
    "not_shipped": "it has not shipped yet, so it is a change to the order rather than a return",
    "already_refunded": "it has already been refunded",
    "currency_not_covered": "it was paid in a currency I cannot refund automatically",
    "outside_return_window": "it shipped more than {days} days ago, outside our return window",
    "above_refund_cap": "its total is above what I can refund without a colleague",
}


def utc_now() -> datetime:
    return datetime.now(UTC)


class ReturnsPolicy(Policy):
    def __init__(self, clock: Callable[[], datetime] = utc_now) -> None:
        self.clock = clock
        """The edge where time enters: the pure policy gets `now` as an argument."""

    def decide(
        self, transcript: Sequence[AnyMessage], facts: Mapping[str, Any], turn: int, ctx: BrandContext
    ) -> Outcome:
        del facts, turn
        found = [
            m
            for m in this_turn(transcript)
            if isinstance(m, ToolMessage) and m.name == GET_ORDER_FOR_RETURN.name and m.status != "error"
        ]
        if not found:
            return standard_outcome(transcript, GET_ORDER_FOR_RETURN.name, "resolved")
        order = found[-1].artifact["order"]
        rules = ctx.brand.returns
        refusal = return_refusal(order, self.clock(), rules.window_days, rules.refund_cap, rules.currency)
        if refusal is not None:
            why = WHY[refusal].format(days=rules.window_days)
            reply = f"I cannot approve a return of order {order['order']} myself: {why}. I have passed it to a colleague, who will reply here."
            return Outcome("handed_off", reply, refusal, facts={"return": {**order, "refusal": refusal}})
        # Eligible, but the refund write is not integrated yet: say so and hand the issuing to a person
        # rather than promise a refund the system cannot make.
        reply = (
            f"Order {order['order']} can be returned: it is within our {rules.window_days}-day return window "
            f"and eligible for a refund of {order['total']} {order['currency']}. A colleague will send you the "
            "return instructions and issue the refund, here in this conversation."
        )
        return Outcome(
            "handed_off", reply, "refund_needs_agent", facts={"return": {**order, "refusal": None}}
        )


def decide(transcript: Sequence[AnyMessage]) -> Outcome:
    """Used only when the brand context is missing; `SPEC.policy` decides."""
    return standard_outcome(transcript, GET_ORDER_FOR_RETURN.name, "waiting")


SPEC = WorkflowSpec(
    name="returns_refunds",
    instructions=INSTRUCTIONS,
    tools=(GET_ORDER_FOR_RETURN,),
    decide=decide,
    policy=ReturnsPolicy(),
)
graph = build_workflow(SPEC)
