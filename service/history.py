"""What a turn did, read from its final state for the run history; and the open confirmation.

`turn_history` reads the runs that acted in the turn: one row per run (workflow, status, handoff
reason), and one per result of a write tool in the run's transcript this turn (the workflow's
tools with `ToolSpec.writes`), its terms read by the tool's own `written` from the call's arguments
and, when it succeeded, its artifact; its result from the error code (`tools.errors.error_code`).
The service stores them with the turn's response (`Turn.finish`), so the person who takes a
conversation over sees every run and write, also those a later run of the same workflow replaced
in the checkpoint.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict
from typing import Any

from langchain_core.messages import AIMessage, AnyMessage, ToolMessage

from brands import BrandConfig
from checkpoint.history import RunRow, TurnHistory, WriteRow
from service.results import ConfirmationOut, RunOut, WriteOut, WriteResult
from state.schema import WorkflowRun
from tools.errors import error_code
from workflows.kit.confirm import LOST, ConfirmedWrite
from workflows.kit.transcript import this_turn
from workflows.registry import Registry


def write_result(code: str | None) -> WriteResult:
    """`done` without an error; `failed` when the write's answer was lost (it may have happened);
    else `refused`: a rule, the guard or the store said no, and nothing was written."""
    if code is None:
        return "done"
    return "failed" if code in LOST else "refused"


def _call_args(messages: Sequence[AnyMessage]) -> dict[str, Mapping[str, Any]]:
    return {
        call["id"] or "": call["args"] for m in messages if isinstance(m, AIMessage) for call in m.tool_calls
    }


def _writes(
    run: WorkflowRun, registry: Registry, brand: BrandConfig, message_id: str, at: str
) -> Iterator[WriteRow]:
    if run["name"] not in registry.names:
        return
    readers = {t.name: t.written for t in registry[run["name"]].tools if t.writes and t.written is not None}
    done = this_turn(run["transcript"])
    args = _call_args(done)
    for m in done:
        if not isinstance(m, ToolMessage) or m.name not in readers:
            continue
        code = error_code(m)
        artifact = m.artifact if code is None and isinstance(m.artifact, Mapping) else None
        terms = readers[m.name](args.get(m.tool_call_id, {}), artifact, brand)
        yield WriteRow(
            workflow=run["name"], call_id=m.tool_call_id, kind=terms.kind, target=terms.target,
            amount=terms.amount, currency=terms.currency, result=write_result(code), error_code=code,
            turn=run["turn"], message_id=message_id, created_at=at,
        )  # fmt: skip


def turn_history(
    out: Mapping[str, Any], registry: Registry, brand: BrandConfig, message_id: str, at: str
) -> TurnHistory:
    """The run and write rows of the turn whose final state is `out` (runs in name order)."""
    turn = out.get("turn", 0)
    acted = sorted((r for r in out.get("runs", {}).values() if r["turn"] == turn), key=lambda r: r["name"])
    runs = tuple(RunRow(r["name"], r["status"], turn, message_id, r["handoff_reason"], at) for r in acted)
    writes = tuple(w for r in acted for w in _writes(r, registry, brand, message_id, at))
    return TurnHistory(runs, writes)


def run_out(row: RunRow) -> RunOut:
    return RunOut.model_validate(asdict(row))


def write_out(row: WriteRow) -> WriteOut:
    return WriteOut.model_validate(asdict(row))  # the call id stays in the store


def _bound(registry: Registry, workflow: str) -> tuple[str, ...] | None:
    if workflow not in registry.names:
        return None
    policy = registry[workflow].policy
    return policy.confirmation.bound if isinstance(policy, ConfirmedWrite) else None


def open_confirmation(runs: Mapping[str, WorkflowRun], registry: Registry) -> ConfirmationOut | None:
    """The open ask of a waiting run (the latest asked, when several are open), or None.

    Its terms are those the workflow's confirmation is bound to (`Confirmation.bound`), as shown."""
    open_asks = [
        (run["facts"]["asked"], run)
        for run in runs.values()
        if run["status"] == "waiting" and run["facts"].get("asked")
    ]
    if not open_asks:
        return None
    asked, run = max(open_asks, key=lambda pair: (int(pair[0].get("turn", 0)), pair[1]["name"]))
    bound = _bound(registry, run["name"]) or tuple(k for k in asked if k != "turn")
    return ConfirmationOut(
        workflow=run["name"],
        terms={k: asked.get(k) for k in bound},
        asked_turn=int(asked.get("turn", 0)),
        pinned=_pinned(asked),
    )


PINNED = ("policy", "window_days")
"""Where an ask keeps the brand's terms it was shown with (`returns_refunds`: `policy`;
`exchange_item`: `window_days`): the yes executes on them unless the brand's policy then refuses."""


def _pinned(asked: Mapping[str, Any]) -> dict[str, Any] | None:
    found = {k: asked[k] for k in PINNED if asked.get(k) is not None}
    return found or None
