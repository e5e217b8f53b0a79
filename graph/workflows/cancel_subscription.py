"""`cancel_subscription`: first version. Looks the subscription up and asks for confirmation.

The cancel itself (retention offer once, confirmation bound to this subscription and these
terms, idempotent write) comes with the integrations issue; until then the workflow never
cancels and says so by waiting for the customer.
"""

from __future__ import annotations

from collections.abc import Sequence

from langchain_core.messages import AnyMessage

from graph.workflows.base import Outcome, WorkflowSpec, build_workflow, standard_outcome
from tools.subscriptions import GET_SUBSCRIPTION

INSTRUCTIONS = """You are the subscription-cancellation workflow of a customer-support team.
- Look the subscription up with get_subscription before saying anything about it.
- If you do not have a subscription id, ask the customer for it.
- Never say a subscription is cancelled: the cancellation needs the customer's confirmation first."""

CONFIRM = " Would you like me to cancel it? Please reply to confirm."


def decide(transcript: Sequence[AnyMessage]) -> Outcome:
    return standard_outcome(transcript, GET_SUBSCRIPTION.name, "waiting", CONFIRM)


SPEC = WorkflowSpec(
    name="cancel_subscription", instructions=INSTRUCTIONS, tools=(GET_SUBSCRIPTION,), decide=decide
)
graph = build_workflow(SPEC)
