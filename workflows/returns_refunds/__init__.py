"""`returns_refunds`: return an order for a refund, within brand policy, after a bound confirmation.

The policy is `policy.ReturnsPolicy` (the turns, in code), its pure rules `rules`, its memory
`facts.RefundsFacts`; the brand's window, cap and currency are the brand file's `returns` section.
"""

from __future__ import annotations

from pathlib import Path

from brands import ReturnsPolicy as ReturnsParams
from tools.returns import GET_ORDER_FOR_RETURN, ISSUE_REFUND
from workflows.returns_refunds.policy import ReturnsPolicy
from workflows.spec import Params, RouterSpec, Workflow

INSTRUCTIONS = """You are the returns-and-refunds workflow of a customer-support team.
- Look the order up with get_order_for_return before saying anything about a return or refund.
- If you do not have an order number, ask the customer for it.
- Never promise or refuse a refund yourself, and never say a refund is done unless issue_refund
  succeeded: the refund needs the customer's confirmation of the order and amount first, and the
  system decides and enforces the policy from the store's data."""

WORKFLOW = Workflow(
    name="returns_refunds",
    instructions=INSTRUCTIONS,
    tools=(GET_ORDER_FOR_RETURN, ISSUE_REFUND),
    policy=ReturnsPolicy(),
    params=Params("returns", ReturnsParams),
    router=RouterSpec(
        description="return an item, get or check a refund, the refund policy",
        classes=("returns_refunds", "return_item", "get_refund", "track_refund", "check_refund_policy"),
        examples=Path(__file__).with_name("router_examples.jsonl"),
    ),
)
