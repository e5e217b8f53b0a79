"""Per-turn overhead of our graph against a bare LangGraph ReAct agent (`python -m bench.turn_overhead`).

The same sandbox model (in-process, 0 ms), the same checkpointer kind (SQLite file, and a throwaway
PostgreSQL database), one thread of N turns through our API and, in the same run, through
`create_react_agent` with one tool. The bare agent makes two model calls per turn (tool call, then
answer); ours makes those two plus any its graph adds (the calls column shows the mean).
The texts alternate between "where is my order 1001?" and "please cancel my subscription sub_501".

How a turn is timed: wall time around one call, minus the union of the model's HTTP request
intervals inside it (httpx event hooks on the model client, body read included). Tool calls to the
commerce store are our work, so they stay in our overhead; their HTTP time is printed apart. Ours
is driven through the FastAPI app in the bench's own event loop (`httpx.ASGITransport`, lifespan
entered), not `TestClient`: the same code path from routing inward, without TestClient's portal
thread, so each system is timed inside the loop it runs in and the figures are less noisy. Ours
runs all its turns first, then the bare agent, each in a fresh event loop: the bare agent's state
grows quadratically (hundreds of MB by turn 200 on SQLite), and interleaved, its heap, garbage
collection and database load would land in our turns. Two untimed turns on another thread warm
process-level caches first; turn 1 of the measured thread is in no window.

Printed per backend and system: overhead p50/p99 over turns 2-11 ("turn 2") and over the last 10
("turn N"), growth (turn N p50 / turn 2 p50), whole-turn, model and tool-HTTP p50, the CPU time of
the event-loop thread (p50; load elsewhere on the machine inflates wall time, not this), model calls
per turn, checkpoint payload bytes of the thread after N turns (our API prunes to the latest
checkpoint after each turn; that is part of what is measured). Then ours/bare ratios and the
targets: overhead p50 at turn 2 <= 15 ms, turn N <= 1.5x turn 2, checkpoint <= 1 MB (10^6 bytes)
per conversation. `run(args)` returns every figure as a dict; `main()` prints the table.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import tempfile
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from time import perf_counter, thread_time
from typing import Any, Literal

from bench.environment import BenchError, Sandbox, sandbox, throwaway_databases
from bench.measure import Footprint, HttpClock, TurnSample, percentile, postgres_footprint, sqlite_footprint
from bench.report import report
from bench.systems import open_bare, open_ours, our_thread

System = Literal["ours", "bare"]
SYSTEMS: tuple[System, System] = ("ours", "bare")
BACKENDS = ("sqlite", "postgres")
TEXTS = ("where is my order 1001?", "please cancel my subscription sub_501")
WARMUP_TURNS = 2
WINDOW = 10
QUICK_TURNS = 12
TARGET_TURN_2_MS = 15.0
TARGET_GROWTH = 1.5
TARGET_CHECKPOINT_BYTES = 1_000_000
DEFAULT_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/test"


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.turn_overhead", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--turns", type=int, default=None, help="turns per thread (default 200)")
    parser.add_argument("--backends", default="sqlite,postgres", help="comma-separated: sqlite,postgres")
    parser.add_argument("--quick", action="store_true", help=f"a small run: {QUICK_TURNS} turns")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("DATABASE_URL", DEFAULT_ADMIN_URL),
        help="a database to connect to for CREATE/DROP DATABASE (default $DATABASE_URL)",
    )
    args = parser.parse_args(argv)
    if args.turns is None:
        args.turns = QUICK_TURNS if args.quick else 200
    args.backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    if args.turns < 2:
        parser.error("--turns must be at least 2 (turn 1 is in no window)")
    unknown = sorted(set(args.backends) - set(BACKENDS))
    if unknown or not args.backends:
        parser.error(f"--backends takes {', '.join(BACKENDS)}; got {args.backends}")
    return args


@dataclass(frozen=True)
class Sampled:
    samples: list[TurnSample]
    thread: str


@dataclass(frozen=True)
class Place:
    """Where one system keeps its checkpoints: a database URL, else SQLite under `data_dir`."""

    database_url: str | None
    data_dir: Path

    def footprint(self, thread: str) -> Footprint:
        """Checkpoint rows of `thread`, read after the run."""
        if self.database_url:
            return postgres_footprint(self.database_url, thread)
        return sqlite_footprint(self.data_dir / "support.sqlite", thread)  # checkpoint.factory's file


async def drive(system: System, place: Place, sb: Sandbox, turns: int) -> Sampled:
    """Run `turns` timed turns of `system` on one fresh thread."""
    clock = HttpClock()
    opened = (
        open_ours(place.database_url, place.data_dir, clock)
        if system == "ours"
        else open_bare(place.database_url, place.data_dir, f"{sb.model}/v1", clock)
    )
    conversation = f"bench-{system}-{uuid.uuid4().hex[:8]}"
    samples: list[TurnSample] = []
    async with opened as say:
        for i in range(WARMUP_TURNS):
            await say(f"warmup-{uuid.uuid4().hex[:8]}", TEXTS[i % len(TEXTS)])
        gc.collect()
        for i in range(turns):
            c0, t0 = thread_time(), perf_counter()
            await say(conversation, TEXTS[i % len(TEXTS)])
            t1, c1 = perf_counter(), thread_time()
            samples.append(clock.sample(t0, t1, (c1 - c0) * 1000))
    return Sampled(samples, our_thread(conversation) if system == "ours" else conversation)


def window(samples: Sequence[TurnSample]) -> dict[str, float]:
    overhead = [s.overhead_ms for s in samples]
    return {
        "overhead_p50": percentile(overhead, 50),
        "overhead_p99": percentile(overhead, 99),
        "whole_p50": percentile([s.wall_ms for s in samples], 50),
        "model_p50": percentile([s.model_ms for s in samples], 50),
        "tools_p50": percentile([s.tools_ms for s in samples], 50),
        "cpu_p50": percentile([s.cpu_ms for s in samples], 50),
    }


def summarise(samples: Sequence[TurnSample], footprint: Footprint) -> dict[str, Any]:
    """One system's figures: turns 2-11 ("turn_2"), the last 10 turns ("turn_n"), checkpoint size."""
    first, last = window(samples[1 : 1 + WINDOW]), window(samples[max(1, len(samples) - WINDOW) :])
    return {
        "turn_2": first,
        "turn_n": last,
        "growth": last["overhead_p50"] / first["overhead_p50"],
        "model_calls_per_turn": sum(s.model_calls for s in samples) / len(samples),
        "checkpoint_bytes": footprint.total_bytes,
        "checkpoint_bytes_by_table": footprint.bytes_by_table,
        "checkpoint_rows": footprint.rows_by_table,
        "overhead_ms": [round(s.overhead_ms, 3) for s in samples],
    }


def targets(ours: dict[str, Any], turns: int) -> list[dict[str, Any]]:
    def target(name: str, figure: float, limit: float, unit: str) -> dict[str, Any]:
        return {"name": name, "figure": figure, "limit": limit, "unit": unit, "met": figure <= limit}

    return [
        target("overhead p50 at turn 2", ours["turn_2"]["overhead_p50"], TARGET_TURN_2_MS, "ms"),
        target(f"turn {turns} / turn 2 (overhead p50)", ours["growth"], TARGET_GROWTH, "x"),
        target(
            f"checkpoint per {turns}-turn conversation",
            ours["checkpoint_bytes"],
            TARGET_CHECKPOINT_BYTES,
            "B",
        ),
    ]


def measure_backend(backend: str, sb: Sandbox, args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench-turns-") as tmp, _databases(backend, args) as urls:
        figures: dict[str, Any] = {}
        for system, url in zip(SYSTEMS, urls, strict=True):
            place = Place(url, Path(tmp) / system)
            sb.reset()
            sampled = asyncio.run(drive(system, place, sb, args.turns))
            figures[system] = summarise(sampled.samples, place.footprint(sampled.thread))
            gc.collect()
        figures["databases"] = [url.rsplit("/", 1)[1] for url in urls if url]
    ours, bare = figures["ours"], figures["bare"]
    figures["ratio"] = {
        "turn_2": ours["turn_2"]["overhead_p50"] / bare["turn_2"]["overhead_p50"],
        "turn_n": ours["turn_n"]["overhead_p50"] / bare["turn_n"]["overhead_p50"],
        "checkpoint_bytes": ours["checkpoint_bytes"] / max(bare["checkpoint_bytes"], 1),
    }
    figures["targets"] = targets(ours, args.turns)
    return figures


@contextmanager
def _databases(backend: str, args: argparse.Namespace) -> Iterator[list[str | None]]:
    if backend == "sqlite":
        yield [None, None]
        return
    with throwaway_databases(args.postgres_url, 2) as urls:
        yield list(urls)


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Measure every asked backend; print the table; return the figures."""
    figures: dict[str, Any] = {"turns": args.turns, "texts": list(TEXTS), "backends": {}}
    load_before = os.getloadavg()[0]
    with sandbox() as sb:
        for backend in args.backends:
            figures["backends"][backend] = measure_backend(backend, sb, args)
    figures["load_1min"] = {"before": load_before, "after": os.getloadavg()[0]}
    print(report(figures), flush=True)
    return figures


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        run(args)
    except BenchError as exc:
        print(f"bench.turn_overhead: {exc}")
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
