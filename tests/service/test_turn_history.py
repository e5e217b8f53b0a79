"""What a turn adds to the run history (`service.history.turn_history`), read from its final state:
the runs that acted this turn, and each result of a write tool in their transcripts this turn, with
its terms read by the tool (`ToolSpec.written`) and its result from its error code."""

from __future__ import annotations

from typing import Any

import pytest
from langchain_core.messages import AIMessage, HumanMessage, ToolCall, ToolMessage

from brands import default_brands
from checkpoint.history import RunRow, WriteRow
from service.history import open_confirmation, turn_history, write_result
from state.schema import WorkflowRun, new_run
from tools.errors import CODES, error_message
from workflows.kit.confirm import LOST
from workflows.registry import REGISTRY

ACME = default_brands()["acme"]
AT = "2026-11-25T12:00:00.000+00:00"


def call(name: str, args: dict[str, Any], call_id: str) -> ToolCall:
    return ToolCall(name=name, args=args, id=call_id, type="tool_call")


def run(name: str, turn: int, transcript: list[Any], status: str = "resolved", **facts: Any) -> WorkflowRun:
    return WorkflowRun(
        **{**new_run(name), "status": status, "turn": turn, "transcript": transcript, "facts": facts}
    )


def refunded(order: str, amount: str, call_id: str) -> ToolMessage:
    done = {"order": order, "amount": amount, "currency": "USD", "refund_id": 1}
    return ToolMessage("Refunded.", tool_call_id=call_id, name="issue_refund", artifact={"refund": done})


def test_that_only_this_turns_runs_and_writes_are_read() -> None:
    earlier = [HumanMessage("return 1001"), AIMessage("", tool_calls=[call("issue_refund", {"order_number": "1001"}, "c-1")]),
               refunded("#1001", "61.00", "c-1"), AIMessage("Done.")]  # fmt: skip
    lost = call("issue_refund", {"order_number": "1001"}, "policy-3-refund")
    now = [*earlier, HumanMessage("yes"), AIMessage("", tool_calls=[lost]),
           error_message(lost, "write_unconfirmed", "shopify did not confirm the change to order #1001")]  # fmt: skip
    out = {
        "turn": 3,
        "runs": {
            "returns_refunds": run("returns_refunds", 3, now, "handed_off"),
            "order_status": run("order_status", 2, []),  # acted in an earlier turn: not this turn's
            "cancel_subscription": run("cancel_subscription", 3, [HumanMessage("yes")], "waiting"),
        },
    }
    history = turn_history(out, REGISTRY, ACME, "m-3", AT)
    assert history.runs == (
        RunRow("cancel_subscription", "waiting", 3, "m-3", None, AT),
        RunRow("returns_refunds", "handed_off", 3, "m-3", None, AT),
    )
    assert history.writes == (
        WriteRow("returns_refunds", "policy-3-refund", "refund", "#1001", None, None, "failed",
                 "write_unconfirmed", 3, "m-3", AT),
    )  # fmt: skip


def test_that_a_done_write_reads_its_artifact_and_a_refused_one_the_arguments_it_named() -> None:
    tried = call("update_shipping_address", {"order_number": "1001"}, "c-9")
    refused = error_message(tried, "policy_refused", "refused: not confirmed")
    changed = call("update_shipping_address", {"order_number": "1002"}, "c-10")
    order = {"order_name": "#1002", "shipping_address": {}}
    done = ToolMessage("ok", tool_call_id="c-10", name="update_shipping_address", artifact={"order": order})
    transcript = [HumanMessage("yes"), AIMessage("", tool_calls=[tried]), refused,
                  AIMessage("", tool_calls=[changed]), done]  # fmt: skip
    out = {"turn": 1, "runs": {"address_change": run("address_change", 1, transcript)}}
    writes = turn_history(out, REGISTRY, ACME, "m-1", AT).writes
    assert [(w.kind, w.target, w.result, w.error_code) for w in writes] == [
        ("address_change", "#1001", "refused", "policy_refused"),
        ("address_change", "#1002", "done", None),
    ]


@pytest.mark.parametrize("code", sorted(CODES))
def test_that_a_write_failed_only_when_its_answer_was_lost(code: str) -> None:
    assert write_result(code) == ("failed" if code in LOST else "refused")
    assert write_result(None) == "done"


def test_that_the_open_confirmation_is_the_latest_ask_of_a_waiting_run_in_its_shown_terms() -> None:
    asked_refund = {"order": "#1001", "total": "61.00", "currency": "USD", "financial_status": "paid",
                    "shipped_at": None, "amount": "61.00", "turn": 2}  # fmt: skip
    asked_cancel = {"subscription_id": "sub_501", "product": "Coffee Club", "price": "29.00",
                    "interval": "1 month", "status": "active", "turn": 3}  # fmt: skip
    runs = {
        "returns_refunds": run("returns_refunds", 2, [], "waiting", asked=asked_refund),
        "cancel_subscription": run("cancel_subscription", 3, [], "waiting", asked=asked_cancel),
        "address_change": run("address_change", 3, [], "resolved", asked={"order_number": "1002", "turn": 3}),
    }
    assert open_confirmation(runs, REGISTRY) is not None
    assert open_confirmation(runs, REGISTRY).model_dump() == {  # type: ignore[union-attr]
        "workflow": "cancel_subscription",
        "terms": {"subscription_id": "sub_501", "price": "29.00", "interval": "1 month"},
        "asked_turn": 3,
        "pinned": None,
    }
    del runs["cancel_subscription"]
    assert open_confirmation(runs, REGISTRY).model_dump()["terms"] == {  # type: ignore[union-attr]
        "order": "#1001", "amount": "61.00", "currency": "USD",
    }  # fmt: skip
    runs["returns_refunds"] = run("returns_refunds", 4, [], "waiting", asked=None)
    assert open_confirmation(runs, REGISTRY) is None
