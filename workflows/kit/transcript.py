"""Reading a workflow's transcript: this turn's messages, the customer's words, tool results.

A tool error's meaning is its code (`tools.errors.error_code`), never its wording; the texts are for
the model and, once checked speakable, for the customer.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from langchain_core.messages import AIMessage, AnyMessage, HumanMessage, ToolMessage

from tools import envelope
from tools.errors import error_facts

REFUSED_PREFIX = "refused: "
"""How the reason of a tool call the policy's guard refused begins (the model reads `Error: refused: ...`)."""


def this_turn(transcript: Sequence[AnyMessage]) -> list[AnyMessage]:
    """The messages after the customer's latest message."""
    for i in range(len(transcript) - 1, -1, -1):
        if isinstance(transcript[i], HumanMessage):
            return list(transcript[i + 1 :])
    return list(transcript)


def customer_text(transcript: Sequence[AnyMessage]) -> str:
    """The customer's latest message."""
    for message in reversed(transcript):
        if isinstance(message, HumanMessage):
            return message.text
    return ""


def results(transcript: Sequence[AnyMessage], tool: str | None = None) -> list[ToolMessage]:
    """This turn's results of `tool` (of any tool when None), in order."""
    return [m for m in this_turn(transcript) if isinstance(m, ToolMessage) and tool in (None, m.name)]


def good(messages: Sequence[ToolMessage]) -> list[ToolMessage]:
    """The successful results among `messages`."""
    return [m for m in messages if m.status != "error"]


def errors(messages: Sequence[ToolMessage]) -> list[ToolMessage]:
    """The error results among `messages`."""
    return [m for m in messages if m.status == "error"]


def data_text(message: ToolMessage) -> str:
    """A tool result's text (sanitised) without its data-envelope tag lines."""
    return envelope.body(message.text)


def speakable(reply: str, transcript: Sequence[AnyMessage]) -> bool:
    """Whether `reply` can go to the customer: not empty, and not one of this turn's tool errors
    (the executor's "Error: ..." texts are for the model, never for the customer)."""
    said = reply.strip()
    if not said or said.startswith("Error:"):
        return False
    return said not in {m.text.strip() for m in errors(results(transcript))}


_THE_CUSTOMER = (("the customer has", "you have"), ("the customer's", "your"), ("the customer", "you"))
"""A refusal's reason is written for the model ("the customer has not confirmed ..."); said to the
customer, it speaks to them."""


def refusal_reasons(transcript: Sequence[AnyMessage], tool: str | None = None) -> list[str]:
    """This turn's guard refusals (of `tool`, or of any tool), as their reasons, in order, worded to
    be said to the customer ("you have not confirmed refunding order #1001")."""
    reasons = [
        facts["text"].removeprefix(REFUSED_PREFIX)
        for m in results(transcript, tool)
        if (facts := error_facts(m)) is not None and facts["code"] == "policy_refused"
    ]
    for said, to_them in _THE_CUSTOMER:
        reasons = [r.replace(said, to_them) for r in reasons]
    return reasons


def final_text(transcript: Sequence[AnyMessage]) -> str:
    """The model's last words this turn, or "" when it ended on a tool step or only repeated a
    tool error (those are for the model, not for the customer)."""
    last = transcript[-1] if transcript else None
    if not isinstance(last, AIMessage) or last.tool_calls:
        return ""
    return last.text if speakable(last.text, transcript) else ""


def lookups(transcript: Sequence[AnyMessage]) -> list[dict[str, Any]]:
    """The costed lookups this turn's tools reported (carrier tracking), for the turn's state."""
    return [
        fact
        for m in results(transcript)
        if isinstance(m.artifact, dict)
        for fact in m.artifact.get("lookups", [])
    ]
