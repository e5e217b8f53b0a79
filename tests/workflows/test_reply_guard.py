"""What a workflow may say to the customer (workflows/kit/transcript.py: `speakable`, `final_text`)."""

from __future__ import annotations

from langchain_core.messages import AIMessage, HumanMessage, ToolMessage

from tools.errors import error_message
from workflows.kit.lookup import standard_outcome
from workflows.kit.transcript import final_text, speakable

REFUSED = "Error: tool 'cancel_subscription' is not available in this workflow"


def turn(*messages: object) -> list:
    return [HumanMessage(content="where is my order 1001?"), *messages]  # type: ignore[list-item]


def call(name: str, call_id: str = "c1") -> AIMessage:
    return AIMessage(content="", tool_calls=[{"id": call_id, "name": name, "args": {}}])


def test_that_empty_words_and_tool_errors_are_not_speakable() -> None:
    transcript = turn(call("cancel_subscription"), ToolMessage(REFUSED, tool_call_id="c1", status="error"))
    assert not speakable("", transcript)
    assert not speakable("   ", transcript)
    assert not speakable(REFUSED, transcript)
    assert not speakable("Error: anything at all", [])
    assert speakable("Order #1001 is in transit.", transcript)


def test_that_a_model_repeating_a_tool_error_has_said_nothing() -> None:
    transcript = turn(
        call("cancel_subscription"),
        ToolMessage(REFUSED, tool_call_id="c1", status="error"),
        AIMessage(REFUSED),
    )
    assert final_text(transcript) == ""
    assert (
        final_text([*transcript[:-1], AIMessage("Your order is on its way.")]) == "Your order is on its way."
    )


def test_that_not_found_is_said_in_our_words_with_the_number() -> None:
    missing = error_message(
        {"id": "c1", "name": "get_order", "args": {}}, "not_found", "order 1003 was not found"
    )
    transcript = turn(call("get_order"), missing, AIMessage(missing.text))
    outcome = standard_outcome(transcript, "get_order", "resolved")
    assert outcome.status == "waiting"
    assert outcome.reply == "I looked, but order 1003 was not found. Could you check the number?"
