"""Find and heal assistant tool calls that have no result (the poisoned conversation).

Pure functions over message lists. Healing answers each dangling call with an error tool result
placed right after its assistant message: the one fix that works whether or not newer messages
already follow it (see shared/LANGGRAPH_FACTS.md).
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
