"""Reducers merge parallel branches deterministically; windows keep tool-call pairs whole."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage

from state.schema import MAX_MESSAGES, WorkflowRun, merge_participation, merge_runs, window_messages
from state.tool_calls import trim_keeping_pairs

NAMES = st.sampled_from(["order_status", "cancel_subscription", "handoff"])
STATUSES = st.sampled_from(["waiting", "resolved", "handed_off", "failed"])


@st.composite
def runs(draw: st.DrawFn) -> WorkflowRun:
    return WorkflowRun(
        name=draw(NAMES), status=draw(STATUSES), turn=draw(st.integers(0, 3)), transcript=[],
        reply=draw(st.text(max_size=3)), facts={}, handoff_reason=None, refused_tool_calls=0,
        version=draw(st.integers(0, 3)),
    )  # fmt: skip


@given(st.lists(runs(), max_size=6), st.randoms())
def test_that_merging_runs_ignores_the_order_branches_arrive_in(updates: list[WorkflowRun], rnd) -> None:
    shuffled = list(updates)
    rnd.shuffle(shuffled)
    one: dict = {}
    other: dict = {}
    for run in updates:
        one = merge_runs(one, {run["name"]: run})
    for run in shuffled:
        other = merge_runs(other, {run["name"]: run})
    assert {k: (v["turn"], v["version"], v["status"]) for k, v in one.items()} == {
        k: (v["turn"], v["version"], v["status"]) for k, v in other.items()
    }


def test_that_a_later_version_of_a_run_replaces_the_earlier_one() -> None:
    old = WorkflowRun(
        name="order_status",
        status="waiting",
        turn=1,
        transcript=[],
        reply="a",
        facts={},
        handoff_reason=None,
        refused_tool_calls=0,
        version=1,
    )
    new = {**old, "status": "resolved", "turn": 2, "version": 2}
    assert merge_runs({"order_status": old}, {"order_status": new})["order_status"]["status"] == "resolved"
    assert merge_runs({"order_status": new}, {"order_status": old})["order_status"]["status"] == "resolved"


def test_that_participation_flags_only_ever_grow() -> None:
    merged = merge_participation({"ai_replied": True}, {"ai_replied": False, "human_replied": True})
    assert merged == {"ai_replied": True, "human_replied": True}


def test_that_trimming_never_starts_on_an_orphan_tool_result() -> None:
    msgs = [
        HumanMessage("q", id="1"),
        AIMessage("", tool_calls=[{"id": "c1", "name": "t", "args": {}}], id="2"),
        ToolMessage("r", tool_call_id="c1", id="3"),
        AIMessage("a", id="4"),
    ]
    assert [m.id for m in trim_keeping_pairs(msgs, 2)] == ["4"]
    assert [m.id for m in trim_keeping_pairs(msgs, 3)] == ["2", "3", "4"]


def test_that_the_message_window_is_bounded() -> None:
    msgs: list = []
    for i in range(MAX_MESSAGES + 25):
        msgs = window_messages(msgs, [HumanMessage(f"m{i}", id=f"id{i}")])
    assert len(msgs) == MAX_MESSAGES
    assert msgs[-1].id == f"id{MAX_MESSAGES + 24}"
