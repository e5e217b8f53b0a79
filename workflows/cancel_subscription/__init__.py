"""`cancel_subscription`: lookup, the brand's retention offer once, a bound confirmation, the cancel.

The policy is `policy.CancelPolicy` (the turns, in code), its pure rules `rules`, its memory
`facts.CancelFacts`; the brand's offer is the brand file's `subscriptions` section.
"""

from __future__ import annotations

from pathlib import Path

from brands import SubscriptionPolicy
from tools.order_cancel import FIND_CANCELLABLE
from tools.subscriptions import CANCEL_SUBSCRIPTION, GET_SUBSCRIPTION
from workflows.cancel_subscription.policy import CancelPolicy
from workflows.spec import Params, RouterSpec, Workflow

INSTRUCTIONS = """You are the subscription-cancellation workflow of a customer-support team.
- Look the subscription up with get_subscription before saying anything about it.
- If you do not have a subscription id, ask the customer for it.
- Never say a subscription is cancelled unless cancel_subscription succeeded: the cancellation
  needs the retention offer and the customer's confirmation first, and the system enforces both."""

WORKFLOW = Workflow(
    name="cancel_subscription",
    instructions=INSTRUCTIONS,
    tools=(GET_SUBSCRIPTION, FIND_CANCELLABLE, CANCEL_SUBSCRIPTION),
    policy=CancelPolicy(),
    params=Params("subscriptions", SubscriptionPolicy),
    router=RouterSpec(
        description="cancel, stop or end a subscription, membership or recurring delivery (not a newsletter)",
        classes=("cancel_subscription",),
        examples=Path(__file__).with_name("router_examples.jsonl"),
    ),
)
