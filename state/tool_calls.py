"""Tool-call pairs in a message list: kept whole when trimmed, found dangling, healed.

Pure functions over message lists (invariant 4, no poisoned thread). Healing answers each dangling
call with an error tool result placed right after its assistant message: the one fix that works
whether or not newer messages already follow it (see shared/LANGGRAPH_FACTS.md).
"""

from __future__ import annotations

from collections.abc import Sequence

from langchain_core.messages import AIMessage, AnyMessage, ToolMessage

INTERRUPTED = "Error: this call did not complete (the turn was interrupted); its result is unknown."


def heal(messages: Sequence[AnyMessage]) -> tuple[list[AnyMessage], int]:
    """Return `messages` with every dangling tool call answered, and how many were healed.

    Tool results that answer no earlier call are dropped: the model API rejects them too.
    """
    answered = {m.tool_call_id for m in messages if isinstance(m, ToolMessage)}
    called: set[str] = set()
    out: list[AnyMessage] = []
    healed = 0
    for msg in messages:
        if isinstance(msg, ToolMessage) and msg.tool_call_id not in called:
            healed += 1
            continue
        out.append(msg)
        if isinstance(msg, AIMessage) and msg.tool_calls:
            for call in msg.tool_calls:
                cid = call["id"] or ""
                called.add(cid)
                if cid not in answered:
                    healed += 1
                    out.append(ToolMessage(INTERRUPTED, tool_call_id=cid, name=call["name"], status="error"))
    return (out, healed) if healed else (list(messages), 0)


def trim_keeping_pairs(messages: Sequence[AnyMessage], limit: int) -> list[AnyMessage]:
    """Keep the last `limit` messages, never starting on a tool result cut off from its call."""
    kept = list(messages[-limit:]) if len(messages) > limit else list(messages)
    while kept and isinstance(kept[0], ToolMessage):
        kept.pop(0)
    return kept


def dangling_calls(messages: Sequence[AnyMessage]) -> list[str]:
    """Ids of assistant tool calls that no tool result answers."""
    answered = {m.tool_call_id for m in messages if isinstance(m, ToolMessage)}
    return [
        c["id"] or ""
        for m in messages
        if isinstance(m, AIMessage)
        for c in m.tool_calls
        if c["id"] not in answered
    ]
