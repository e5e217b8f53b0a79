"""The turn bench in quick mode: the figures it returns and prints have the promised shape.

Values are timings, so they are checked for plausibility and internal consistency (overhead is
the whole turn minus model time, the ratio is ours over bare); counts are checked exactly.
"""

from __future__ import annotations

from typing import Any

import psycopg
import pytest

from bench.turn_overhead import main, parse_args, run
from checkpoint.factory import PRUNE_ABOVE
from tests.utils.db import ADMIN_DB_URL

TURNS = 5
TABLES = {
    "sqlite": ("checkpoints", "writes"),
    "postgres": ("checkpoints", "checkpoint_blobs", "checkpoint_writes"),
}


def check_system(figures: dict[str, Any], backend: str) -> None:
    assert len(figures["overhead_ms"]) == TURNS
    for name in ("turn_2", "turn_n"):
        w = figures[name]
        assert 0 < w["overhead_p50"] <= w["overhead_p99"] < 5000
        assert 0 < w["model_p50"] < w["whole_p50"]
        assert w["overhead_p50"] < w["whole_p50"]
        assert 0 < w["cpu_p50"] < w["whole_p50"]
    assert figures["growth"] == pytest.approx(
        figures["turn_n"]["overhead_p50"] / figures["turn_2"]["overhead_p50"]
    )
    assert set(figures["checkpoint_rows"]) == set(TABLES[backend])
    assert figures["checkpoint_bytes"] == sum(figures["checkpoint_bytes_by_table"].values()) > 0


def check_backend(b: dict[str, Any], backend: str) -> None:
    ours, bare = b["ours"], b["bare"]
    check_system(ours, backend)
    check_system(bare, backend)
    assert bare["model_calls_per_turn"] == 2.0  # tool call, then the answer
    # order_status turns (1, 3, 5): tool call + answer; cancel_subscription turns (2, 4): the policy
    # code looks the subscription up itself and the model only answers: (3 * 2 + 2 * 1) / 5
    assert ours["model_calls_per_turn"] == 1.6
    assert ours["turn_n"]["tools_p50"] > 0  # our tools call the store; the bare tool is local
    assert bare["turn_n"]["tools_p50"] == 0
    # The API prunes to the latest checkpoint: SQLite every turn, Postgres once it holds more than PRUNE_ABOVE.
    kept = 1 if backend == "sqlite" else (TURNS - 1) % (PRUNE_ABOVE + 1) + 1
    assert ours["checkpoint_rows"]["checkpoints"] == kept
    assert bare["checkpoint_rows"]["checkpoints"] == 5 * TURNS  # input, then 4 steps, per turn
    assert b["ratio"]["turn_2"] == pytest.approx(
        ours["turn_2"]["overhead_p50"] / bare["turn_2"]["overhead_p50"]
    )
    assert b["ratio"]["checkpoint_bytes"] == pytest.approx(
        ours["checkpoint_bytes"] / bare["checkpoint_bytes"]
    )
    met = [t["met"] for t in b["targets"]]
    assert met == [t["figure"] <= t["limit"] for t in b["targets"]]
    assert [t["limit"] for t in b["targets"]] == [15.0, 1.5, 1_000_000]


def check_printout(out: str, backend: str) -> None:
    rows = [line.split() for line in out.splitlines() if line.startswith(backend)]
    assert [r[:2] for r in rows] == [[backend, "ours"], [backend, "bare"]]
    assert f"ratio ours/bare [{backend}]: overhead p50 turn 2 " in out
    targets = [line for line in out.splitlines() if line.startswith(f"  [{backend}] ")]
    assert len(targets) == 3
    assert all(": MET (" in line or ": NOT MET (" in line for line in targets)


def test_that_a_quick_sqlite_run_compares_ours_with_the_bare_agent(
    capsys: pytest.CaptureFixture[str],
) -> None:
    figures = run(parse_args(["--quick", "--turns", str(TURNS), "--backends", "sqlite"]))

    assert figures["turns"] == TURNS
    assert list(figures["backends"]) == ["sqlite"]
    check_backend(figures["backends"]["sqlite"], "sqlite")
    check_printout(capsys.readouterr().out, "sqlite")


def test_that_a_quick_postgres_run_measures_in_databases_it_drops(
    postgres_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["--quick", "--turns", str(TURNS), "--backends", "postgres", "--postgres-url", postgres_url]
    figures = run(parse_args(args))

    b = figures["backends"]["postgres"]
    check_backend(b, "postgres")
    check_printout(capsys.readouterr().out, "postgres")
    assert len(b["databases"]) == 2
    with psycopg.connect(ADMIN_DB_URL) as conn:
        left = conn.execute("SELECT datname FROM pg_database WHERE datname = ANY(%s)", (b["databases"],))
        assert left.fetchall() == []


def test_that_an_unreachable_postgres_stops_the_bench_with_its_address(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = main(
        ["--quick", "--backends", "postgres", "--postgres-url", "postgresql://postgres@127.0.0.1:1/x"]
    )

    assert code == 2
    assert "PostgreSQL at 127.0.0.1:1 is unreachable" in capsys.readouterr().out
