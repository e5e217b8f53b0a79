"""A workflow decides its status one way: by its transcript (`decide`) or by its policy, never both."""

from __future__ import annotations

import pytest

from graph.workflows import cancel_subscription, order_status
from graph.workflows.base import WorkflowSpec


def test_that_a_workflow_needs_exactly_one_way_to_decide() -> None:
    with pytest.raises(ValueError, match="exactly one"):
        WorkflowSpec(name="x", instructions="", tools=())
    with pytest.raises(ValueError, match="exactly one"):
        WorkflowSpec(
            name="x",
            instructions="",
            tools=(),
            decide=order_status.decide,
            policy=cancel_subscription.CancelPolicy(),
        )
    assert WorkflowSpec(name="x", instructions="", tools=(), decide=order_status.decide).policy is None
