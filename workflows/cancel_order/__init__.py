"""`cancel_order`: cancel an order that has not shipped, refunded in full, after a bound confirmation.

The policy is `policy.CancelOrderPolicy` (the turns, in code), its pure rules `rules`, its memory
`facts.CancelOrderFacts`. A shipped order is explained, and a return offered where the brand's
`returns` section allows one.
"""

from __future__ import annotations

from pathlib import Path

from tools.order_cancel import CANCEL_ORDER, FIND_CANCELLABLE, GET_ORDER_FOR_CANCEL
from workflows.cancel_order.policy import CancelOrderPolicy
from workflows.spec import RouterSpec, Workflow

INSTRUCTIONS = """You are the order-cancellation workflow of a customer-support team.
- Look the order up with get_order_for_cancel before saying anything about cancelling it.
- If you do not have an order number, ask the customer for it.
- Never say an order is cancelled unless cancel_order succeeded: the cancellation needs an order
  that has not shipped and the customer's confirmation, and the system enforces both."""

WORKFLOW = Workflow(
    name="cancel_order",
    instructions=INSTRUCTIONS,
    tools=(GET_ORDER_FOR_CANCEL, FIND_CANCELLABLE, CANCEL_ORDER),
    policy=CancelOrderPolicy(),
    router=RouterSpec(
        description="cancel an order that has not shipped yet (not a subscription)",
        classes=("cancel_order",),
        examples=Path(__file__).with_name("router_examples.jsonl"),
    ),
)
