"""Repair leaves no dangling tool call and keeps every answered pair as it was."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage

from state.tool_calls import INTERRUPTED, dangling_calls, heal


@st.composite
def histories(draw: st.DrawFn) -> list:
    out: list = []
    for i in range(draw(st.integers(0, 6))):
        out.append(HumanMessage(f"h{i}"))
        calls = draw(st.integers(0, 2))
        if calls:
            ids = [f"c{i}_{k}" for k in range(calls)]
            out.append(AIMessage("", tool_calls=[{"id": c, "name": "t", "args": {}} for c in ids]))
            out.extend(ToolMessage("ok", tool_call_id=c) for c in ids if draw(st.booleans()))
        if draw(st.booleans()):
            out.append(ToolMessage("orphan", tool_call_id=f"x{i}"))
        out.append(AIMessage(f"a{i}"))
    return out


@given(histories())
def test_that_repair_leaves_no_dangling_call_and_no_orphan_result(history: list) -> None:
    healed, count = heal(history)
    assert dangling_calls(healed) == []
    seen: set[str] = set()
    for msg in healed:
        if isinstance(msg, AIMessage):
            seen.update(c["id"] for c in msg.tool_calls)
        if isinstance(msg, ToolMessage):
            assert msg.tool_call_id in seen
    assert (count == 0) == (healed == history)


def test_that_the_error_result_is_placed_right_after_its_call_even_when_newer_messages_follow() -> None:
    history = [
        HumanMessage("where is 1001"),
        AIMessage("", tool_calls=[{"id": "c1", "name": "get_order", "args": {}}]),
        HumanMessage("hello?"),
    ]
    healed, count = heal(history)
    assert count == 1
    assert isinstance(healed[2], ToolMessage)
    assert healed[2].tool_call_id == "c1"
    assert healed[2].content == INTERRUPTED
    assert healed[2].status == "error"
    assert healed[3].content == "hello?"
