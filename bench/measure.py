"""What the turn bench measures: HTTP time per external system, per-turn samples, checkpoint size.

`HttpClock` times real requests through httpx event hooks on a client (it never answers for the
server). A turn's model time is the union of its model-request intervals, so requests that overlap
(parallel workflows) are not taken out twice. Checkpoint size is read from the saver's own tables
after the run: payload bytes of one thread's rows (`pg_column_size`, so as stored, on Postgres;
`length()` of the blobs on SQLite).
"""

from __future__ import annotations

import math
import sqlite3
from collections import defaultdict
from collections.abc import Sequence
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from time import perf_counter

import httpx
import psycopg

Span = tuple[float, float]


@dataclass(frozen=True)
class TurnSample:
    """One turn as the caller saw it; times in milliseconds."""

    wall_ms: float
    model_ms: float
    tools_ms: float
    model_calls: int
    cpu_ms: float = 0.0
    """CPU time of the event-loop thread: what load elsewhere on the machine does not inflate."""

    @property
    def overhead_ms(self) -> float:
        """The turn without the model's HTTP time: graph, persistence, API and tool calls."""
        return self.wall_ms - self.model_ms


def covered(spans: Sequence[Span], lo: float, hi: float) -> float:
    """Seconds of [lo, hi] covered by at least one span."""
    clipped = sorted((max(a, lo), min(b, hi)) for a, b in spans if b > lo and a < hi)
    total, end = 0.0, lo
    for start, stop in clipped:
        start = max(start, end)
        if stop > start:
            total += stop - start
            end = stop
    return total


class HttpClock:
    """Intervals of the requests sent through watched clients, grouped by kind (model, tools)."""

    def __init__(self) -> None:
        self._started: dict[int, float] = {}
        self.spans: dict[str, list[Span]] = defaultdict(list)

    def watch(self, client: httpx.AsyncClient, kind: str) -> None:
        """Time every request `client` sends, body read included, under `kind`."""

        async def on_request(request: httpx.Request) -> None:
            self._started[id(request)] = perf_counter()

        async def on_response(response: httpx.Response) -> None:
            await response.aread()  # the body is part of the request's time; httpx caches it
            started = self._started.pop(id(response.request), None)
            if started is not None:
                self.spans[kind].append((started, perf_counter()))

        hooks = client.event_hooks
        client.event_hooks = {
            "request": [*hooks["request"], on_request],
            "response": [*hooks["response"], on_response],
        }

    def sample(self, t0: float, t1: float, cpu_ms: float = 0.0) -> TurnSample:
        """The turn that ran from `t0` to `t1` (perf_counter seconds)."""
        model = [s for s in self.spans["model"] if t0 <= s[0] <= t1]
        return TurnSample(
            wall_ms=(t1 - t0) * 1000,
            model_ms=covered(model, t0, t1) * 1000,
            tools_ms=covered(self.spans["tools"], t0, t1) * 1000,
            model_calls=len(model),
            cpu_ms=cpu_ms,
        )


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100), linear between closest ranks (numpy's default)."""
    if not values:
        raise ValueError("percentile of no values")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass(frozen=True)
class Footprint:
    """One thread's checkpoint rows: payload bytes and row count per table."""

    bytes_by_table: dict[str, int]
    rows_by_table: dict[str, int]

    @property
    def total_bytes(self) -> int:
        return sum(self.bytes_by_table.values())


SQLITE_FOOTPRINT = """
SELECT 'checkpoints', COUNT(*), COALESCE(SUM(LENGTH(checkpoint) + COALESCE(LENGTH(metadata), 0)), 0)
  FROM checkpoints WHERE thread_id = ?
UNION ALL
SELECT 'writes', COUNT(*), COALESCE(SUM(LENGTH(value)), 0) FROM writes WHERE thread_id = ?
"""

POSTGRES_FOOTPRINT = """
SELECT 'checkpoints', count(*),
       coalesce(sum(pg_column_size(checkpoint) + coalesce(pg_column_size(metadata), 0)), 0)
  FROM checkpoints WHERE thread_id = %(t)s
UNION ALL
SELECT 'checkpoint_blobs', count(*), coalesce(sum(pg_column_size(blob)), 0)
  FROM checkpoint_blobs WHERE thread_id = %(t)s
UNION ALL
SELECT 'checkpoint_writes', count(*), coalesce(sum(pg_column_size(blob)), 0)
  FROM checkpoint_writes WHERE thread_id = %(t)s
"""


def _footprint(rows: Sequence[tuple[str, int, int]]) -> Footprint:
    return Footprint({t: int(b) for t, _, b in rows}, {t: int(n) for t, n, _ in rows})


def sqlite_footprint(path: Path, thread: str) -> Footprint:
    with closing(sqlite3.connect(path)) as conn:
        return _footprint(conn.execute(SQLITE_FOOTPRINT, (thread, thread)).fetchall())


def postgres_footprint(url: str, thread: str) -> Footprint:
    with psycopg.connect(url) as conn:
        return _footprint(conn.execute(POSTGRES_FOOTPRINT, {"t": thread}).fetchall())
