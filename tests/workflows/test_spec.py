"""A workflow decides its status one way: by its transcript (`decide`) or by its policy, never both."""

from __future__ import annotations

import pytest

from workflows import cancel_subscription, order_status
from workflows.cancel_subscription.policy import CancelPolicy
from workflows.spec import RouterSpec, Workflow

ROUTER = RouterSpec(description="x", classes=())


def test_that_a_workflow_needs_exactly_one_way_to_decide() -> None:
    with pytest.raises(ValueError, match="exactly one"):
        Workflow(name="x", router=ROUTER)
    with pytest.raises(ValueError, match="exactly one"):
        Workflow(name="x", router=ROUTER, decide=order_status.decide, policy=CancelPolicy())
    assert Workflow(name="x", router=ROUTER, decide=order_status.decide).policy is None


def test_that_a_policy_workflow_declares_what_it_writes_and_what_a_yes_is_bound_to() -> None:
    policy = cancel_subscription.WORKFLOW.policy
    assert cancel_subscription.WORKFLOW.writes == ("cancel_subscription",)
    assert policy is not None and policy.writes.name == "cancel_subscription"  # type: ignore[attr-defined]
    assert policy.confirmation.bound == ("subscription_id", "price", "interval")  # type: ignore[attr-defined]
