"""The fault soak, small: faults are injected through the sandbox modes and nothing is poisoned or lost.

One run of the CI default size on SQLite with half the turns' tools failing, so handoffs prove the
faults reached the service, and a few turns abandoned by the client mid-tool and resent; the invariants (no poisoned thread, no lost inbound message, no
duplicate reply) and the bookkeeping (ok + failed = turns) are checked exactly.
"""

from __future__ import annotations

import pytest

from bench.fault_soak import main, parse_args, plan, run


def test_that_the_plan_depends_on_the_seed_only() -> None:
    args = parse_args(["--seed", "3"])

    assert plan(args) == plan(parse_args(["--seed", "3"]))
    assert plan(args) != plan(parse_args(["--seed", "4"]))
    turns = [t for tick in plan(args) for t in tick]
    assert len(turns) == args.turns == 20
    assert args.conversations == 4
    assert len({t.message_id for t in turns}) == len(turns)
    assert sum(t.retry for t in turns) == 1  # 5 % of 20


def test_that_a_soak_with_failing_tools_loses_and_poisons_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--tool-fail", "0.5", "--model-fail", "0.05", "--abort-share", "0.15", "--seed", "7"]
    figures = run(parse_args(args))

    assert figures["poisoned"] == figures["lost"] == figures["duplicate"] == 0
    assert figures["pass"]
    assert figures["ok_turns"] + figures["failed_turns"] == figures["turns"] == 20
    assert sum(figures["faults_injected"].values()) > 0
    assert figures["handoffs"] > 0  # the injected faults reached the service
    assert figures["handoffs"] == sum(figures["handoffs_by_reason"].values())
    assert figures["retries"] >= 1
    assert figures["retry_model_calls"] == 0
    assert figures["dangling_saved"] == 0
    assert figures["aborted"] >= 1  # abandoned mid-tool, then resent with the same message_id
    assert figures["abort_resends_ok"] == figures["aborted"]
    out = capsys.readouterr().out
    for label in ("turns", "failed turns", "handoffs", "repairs", "poisoned threads", "lost inbound"):
        assert f"  {label} " in out
    assert "duplicate replies  0" in out


def test_that_an_unreachable_postgres_stops_the_soak_with_its_address(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = main(["--backend", "postgres", "--postgres-url", "postgresql://postgres@127.0.0.1:1/x"])

    assert code == 2
    assert "PostgreSQL at 127.0.0.1:1 is unreachable" in capsys.readouterr().out
