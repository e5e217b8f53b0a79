"""One reply, at most one handoff sentence, and the sentence of the true class of each handoff."""

from __future__ import annotations

from langchain_core.messages import ToolCall

from nodes.compose import plan_reply
from routing.reading import Intent
from state.handoffs import CLOSING, CLOSINGS, PARTIAL, WHY
from state.schema import WorkflowRun, new_run
from tools.errors import error_message
from workflows.kit.subgraph import failed_lookup

SENTENCES = {CLOSING, PARTIAL, *CLOSINGS.values()}


def intent(name: str, position: int) -> Intent:
    return Intent(name=name, confidence=1.0, entities={}, position=position)


def run(
    name: str, status: str, reply: str, reason: str | None = None, intents: list[str] | None = None
) -> WorkflowRun:
    return {
        **new_run(name),
        "status": status,  # type: ignore[typeddict-item]
        "turn": 1,
        "reply": reply,
        "handoff_reason": reason,  # type: ignore[typeddict-item]
        "facts": {"intents": intents or []},
    }


def handoff_sentences(reply: str) -> int:
    return sum(reply.count(s) for s in SENTENCES)


def test_that_two_asks_handed_off_for_two_reasons_get_one_handoff_sentence() -> None:
    intents = [intent("order_status", 0), intent("handoff", 30)]
    runs = {
        "order_status": run("order_status", "handed_off", WHY["tool_failed"], "tool_failed"),
        "handoff": run("handoff", "handed_off", "", "customer_asked", ["handoff"]),
    }
    reply, handoff = plan_reply(intents, runs, 1)
    assert handoff == {"reason": "tool_failed", "unresolved": ["order_status", "handoff"]}
    assert reply == f"{WHY['tool_failed']} {CLOSINGS['customer_asked']}"
    assert handoff_sentences(reply) == 1


def test_that_an_unconfirmed_write_beside_another_handoff_ends_with_the_checking_sentence() -> None:
    intents = [intent("handoff", 0), intent("returns_refunds", 20)]
    unconfirmed = WHY["write_unconfirmed"].format(what="refund")
    runs = {
        "handoff": run("handoff", "handed_off", "", "not_automated", ["handoff"]),
        "returns_refunds": run("returns_refunds", "handed_off", unconfirmed, "write_unconfirmed"),
    }
    reply, _ = plan_reply(intents, runs, 1)
    assert reply == f"{unconfirmed} {CLOSINGS['write_unconfirmed']}"
    assert handoff_sentences(reply) == 1


def test_that_a_partly_answered_message_hands_off_the_rest() -> None:
    intents = [intent("order_status", 0), intent("handoff", 30)]
    runs = {
        "order_status": run("order_status", "resolved", "Order #1001 is in transit."),
        "handoff": run("handoff", "handed_off", "", "not_automated", ["handoff"]),
    }
    reply, handoff = plan_reply(intents, runs, 1)
    assert reply == f"Order #1001 is in transit. {PARTIAL}"
    assert handoff == {"reason": "not_automated", "unresolved": ["handoff"]}


def test_that_a_reply_with_nothing_handed_off_has_no_handoff_sentence() -> None:
    runs = {"order_status": run("order_status", "resolved", "Order #1001 is in transit.")}
    reply, handoff = plan_reply([intent("order_status", 0)], runs, 1)
    assert (reply, handoff) == ("Order #1001 is in transit.", None)


def call(name: str) -> ToolCall:
    return ToolCall(name=name, args={}, id="c1", type="tool_call")


def test_that_a_refused_out_of_scope_call_is_not_called_a_failed_lookup() -> None:
    refused = error_message(call("issue_refund"), "tool_not_allowed", "not in this workflow")
    failed = error_message(call("get_order"), "upstream_error", "shopify answered 503")
    late = error_message(call("get_order"), "deadline", "no time was left")
    assert (failed_lookup([refused]).handoff_reason, failed_lookup([refused]).reply) == (
        "tool_refused",
        WHY["tool_refused"],
    )
    assert failed_lookup([failed]).handoff_reason == "tool_failed"
    assert failed_lookup([refused, failed]).handoff_reason == "tool_failed"
    assert failed_lookup([late, failed]).handoff_reason == "deadline"
