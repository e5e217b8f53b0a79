"""Open-loop load on the real service (`make bench-load`, `python -m bench.load`): not part of `make test`.

The service runs as `make run` does (`python -m launch.serve`, `WORKERS`, SQLite or a throwaway
PostgreSQL database), with the sandbox it starts; the sandbox model is slowed to `--model-delay-ms`
(`/_admin/mode` slow). The load generator, an asyncio httpx client in this process, sends turns at
fixed times whatever the service answers (open loop): turn i at i / rate seconds, on conversation
i mod `--conversations` (so each conversation gets a message every conversations / rate seconds, 8 s
at 200 conversations and 25 turns/s), "where is my order 1001?" each, one new connection per turn.

The demo brands run with their per-brand limits raised (`BENCH_LIMITS`): the bench measures serving,
not the limiter.

First `--baseline` turns run one at a time on an idle service: their median is the unloaded turn.
Printed per run: offered and served turns/s, p50 and p99 of the latency added over the unloaded
turn, failed turns (a transport error, a non-200, or a turn that did not resolve its order lookup:
a deadline handoff counts), the peak of turns in flight (client side) per worker, and CPU ms per
served turn by where it went (API workers, sandbox, PostgreSQL backends, this load generator).
PostgreSQL's figure counts every backend on the machine: other work there lands in it.

`--table` runs SQLite 1 worker, PostgreSQL 1 and 2 workers with the 300 ms model at 25 turns/s and
the 3 s model at 50 turns/s, and for each run that misses p99 added <= 100 ms (or fails a turn) looks
for the highest rate that meets it (halving, then between), on shorter runs.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psycopg

from brands import BRANDS_DIR

ROOT = Path(__file__).resolve().parents[1]
KEY = {"Authorization": "Bearer acme-dev-key"}
CUSTOMER = {"id": "cus_alice", "email": "alice@example.com"}
TEXT = "where is my order 1001?"
TARGET_P99_ADDED_MS = 100.0
TICK = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Config:
    backend: str = "postgres"
    workers: int = 1
    model_delay_ms: int = 300
    conversations: int = 200
    rate: float = 25.0
    turns: int = 600
    baseline: int = 8
    database_url: str = "postgresql://postgres@127.0.0.1:5432/test"


@dataclass
class Result:
    config: Config
    unloaded_ms: float
    offered: float
    served: float
    p50_added_ms: float
    p99_added_ms: float
    failures: dict[str, int]
    """Failed turns by why (`handoff deadline`, `HTTP 503`, `ReadTimeout`)."""
    peak_in_flight: int
    cpu_ms: dict[str, float] = field(default_factory=dict)
    """CPU ms per answered turn (resolved or failed): `api`, `sandbox`, `postgres`, `loadgen`."""

    @property
    def failed(self) -> int:
        return sum(self.failures.values())

    @property
    def meets(self) -> bool:
        return self.failed == 0 and self.p99_added_ms <= TARGET_P99_ADDED_MS


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _cpu_ticks(pid: int) -> int:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0
    return int(fields[11]) + int(fields[12])  # utime + stime


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except FileNotFoundError:
        return found
    for task in tasks:
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except FileNotFoundError:
            continue
    return found


def _tree(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo += _children(p)
    return out


def _is_sandbox(pid: int) -> bool:
    try:
        return b"sandbox" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except FileNotFoundError:
        return False


def _postgres_ticks() -> int:
    total = 0
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                if (proc / "comm").read_text().strip() == "postgres":
                    total += _cpu_ticks(int(proc.name))
            except (FileNotFoundError, ProcessLookupError):
                continue
    return total


def _cpu_snapshot(serve_pid: int) -> dict[str, float]:
    """Seconds of CPU so far: the API (launcher and workers), the sandbox, PostgreSQL, this process."""
    api = sandbox = 0
    for pid in _tree(serve_pid):
        if _is_sandbox(pid):
            sandbox += _cpu_ticks(pid)
        else:
            api += _cpu_ticks(pid)
    own = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "api": api / TICK,
        "sandbox": sandbox / TICK,
        "postgres": _postgres_ticks() / TICK,
        "loadgen": own.ru_utime + own.ru_stime,
    }


BENCH_LIMITS = "\nlimits: {turns_per_second: 10000, burst: 100000, concurrent_turns: 10000}\n"
"""The demo brands' per-brand limits (`brands.Limits`, 32 turns at once by default) would answer the
offered load 429 before it reaches what this bench measures: the serving path. Raised for the bench."""


def _unlimited_brands(folder: Path) -> Path:
    """The demo brands with `BENCH_LIMITS`, in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    for path in BRANDS_DIR.glob("*.yaml"):
        (folder / path.name).write_text(path.read_text(encoding="utf-8") + BENCH_LIMITS, encoding="utf-8")
    return folder


class Service:
    """`python -m launch.serve` on a fresh data folder (and a throwaway PostgreSQL database)."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.data = Path(tempfile.mkdtemp(prefix="bench-load-"))
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.database: str | None = None
        self.proc: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Service:
        env = {k: v for k, v in os.environ.items() if not k.startswith("SUPPORT_") and k != "DATABASE_URL"}
        env.update({"DATA_DIR": str(self.data), "PORT": str(self.port), "WORKERS": str(self.config.workers)})
        env["SUPPORT_ENV"] = "dev"
        env["SUPPORT_BRANDS_DIR"] = str(_unlimited_brands(self.data / "brands"))
        if self.config.backend == "postgres":
            self.database = f"bench_load_{uuid.uuid4().hex[:8]}"
            with psycopg.connect(self.config.database_url, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{self.database}"')
            env["DATABASE_URL"] = self.config.database_url.rsplit("/", 1)[0] + f"/{self.database}"
        with (self.data / "serve.log").open("wb") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "launch.serve"],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"the service stopped: {(self.data / 'serve.log').read_text()[-2000:]}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        else:
            raise SystemExit(f"the service did not start: {(self.data / 'serve.log').read_text()[-2000:]}")
        model = json.loads((self.data / "sandbox.json").read_text())["model"]
        mode = {"mode": "slow", "delay_ms": self.config.model_delay_ms}
        httpx.post(f"{model}/_admin/mode", json=mode, timeout=5).raise_for_status()
        return self

    def __exit__(self, *_exc: object) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                for pid in reversed(_tree(self.proc.pid)):
                    os.kill(pid, signal.SIGKILL)
        if self.database:
            with psycopg.connect(self.config.database_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')


def _failure(response: httpx.Response) -> str | None:
    """Why the turn failed (`HTTP 503`, `handoff deadline`), or None for a resolved lookup."""
    if response.status_code != 200:
        return f"HTTP {response.status_code}"
    body = response.json()
    if body.get("handoff"):
        return f"handoff {body['handoff'].get('reason')}"
    if body.get("workflows") != [{"name": "order_status", "status": "resolved"}]:
        return f"workflows {body.get('workflows')}"
    return None


async def _turn(
    client: httpx.AsyncClient, url: str, conversation: str, message: int
) -> tuple[float, str | None]:
    body = {"message_id": f"m{message}", "text": TEXT, "customer": CUSTOMER}
    started = time.monotonic()
    try:
        response = await client.post(
            f"{url}/v1/conversations/{conversation}/messages", json=body, headers=KEY
        )
        failure = _failure(response)
    except httpx.HTTPError as exc:
        failure = type(exc).__name__
    return (time.monotonic() - started) * 1000, failure


async def _unloaded(url: str, n: int, workers: int) -> float:
    limits = httpx.Limits(max_keepalive_connections=0)
    async with httpx.AsyncClient(timeout=60, limits=limits) as client:
        # A worker's first turn builds its clients and caches: warm every worker (each new connection
        # goes to whichever worker accepts it, so send several at once) before anything is timed.
        await asyncio.gather(*(_turn(client, url, f"warm-{i}", 0) for i in range(4 * workers)))
        took = [(await _turn(client, url, f"base-{uuid.uuid4().hex[:8]}", 0))[0] for _ in range(n)]
    return statistics.median(took)


async def _open_loop(config: Config, url: str) -> tuple[list[float], dict[str, int], float, int]:
    """Latencies of the turns that resolved, failures by why, wall time to the last answer, peak in flight."""
    run = uuid.uuid4().hex[:6]
    limits = httpx.Limits(max_connections=None, max_keepalive_connections=0)
    latencies: list[float] = []
    failed: dict[str, int] = {}
    in_flight = peak = 0

    async def one(i: int, client: httpx.AsyncClient, start: float) -> None:
        nonlocal in_flight, peak
        await asyncio.sleep(max(0.0, start + i / config.rate - time.monotonic()))
        in_flight += 1
        peak = max(peak, in_flight)
        took, failure = await _turn(
            client, url, f"load-{run}-{i % config.conversations}", i // config.conversations
        )
        in_flight -= 1
        if failure is None:
            latencies.append(took)
        else:
            failed[failure] = failed.get(failure, 0) + 1

    async with httpx.AsyncClient(timeout=120, limits=limits) as client:
        start = time.monotonic() + 0.2
        await asyncio.gather(*(one(i, client, start) for i in range(config.turns)))
        wall = time.monotonic() - start
    return latencies, failed, wall, peak


def _percentile(values: Sequence[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def run(config: Config) -> Result:
    with Service(config) as service:
        unloaded = asyncio.run(_unloaded(service.url, config.baseline, config.workers))
        assert service.proc is not None
        before = _cpu_snapshot(service.proc.pid)
        latencies, failed, wall, peak = asyncio.run(_open_loop(config, service.url))
        after = _cpu_snapshot(service.proc.pid)
    served = len(latencies)
    added = [t - unloaded for t in latencies]
    answered = served + sum(failed.values())
    cpu = {k: (after[k] - before[k]) * 1000 / max(answered, 1) for k in before}
    return Result(
        config,
        unloaded,
        offered=config.rate,
        served=served / wall,
        p50_added_ms=_percentile(added, 0.50),
        p99_added_ms=_percentile(added, 0.99),
        failures=failed,
        peak_in_flight=peak,
        cpu_ms=cpu,
    )


HEADER = (
    f"{'backend':<9}{'workers':>8}{'model':>7}{'conv':>6}{'offered/s':>10}{'served/s':>9}{'unloaded':>9}"
    f"{'p50 add':>9}{'p99 add':>9}{'failed':>7}{'peak/wkr':>9}"
    f"{'cpu ms/turn: api':>17}{'sandbox':>8}{'pg':>6}{'loadgen':>8}  target"
)


def row(result: Result) -> str:
    c, cpu = result.config, result.cpu_ms
    model = f"{c.model_delay_ms / 1000:g}s" if c.model_delay_ms >= 1000 else f"{c.model_delay_ms}ms"
    return (
        f"{c.backend:<9}{c.workers:>8}{model:>7}{c.conversations:>6}{result.offered:>10.1f}{result.served:>9.1f}"
        f"{result.unloaded_ms:>7.0f}ms{result.p50_added_ms:>7.0f}ms{result.p99_added_ms:>7.0f}ms{result.failed:>7}"
        f"{result.peak_in_flight / c.workers:>9.0f}"
        f"{cpu['api']:>17.1f}{cpu['sandbox']:>8.1f}{cpu['postgres']:>6.1f}{cpu['loadgen']:>8.1f}"
        f"  {'met' if result.meets else 'missed'}"
        + (
            f"  failed: {', '.join(f'{why} {n}' for why, n in sorted(result.failures.items()))}"
            if result.failed
            else ""
        )
    )


def highest_rate(config: Config, missed_at: float, seconds: float) -> Result | None:
    """The highest rate (within 20 %) keeping p99 added <= 100 ms with no failure, on runs of `seconds`."""
    low, high, best = 0.0, missed_at, None
    rate = missed_at / 2
    while high - low > max(1.0, 0.2 * high):
        trial = run(Config(**{**config.__dict__, "rate": rate, "turns": max(20, int(rate * seconds))}))
        print("   search:", row(trial), flush=True)
        if trial.meets:
            low, best = rate, trial
        else:
            high = rate
        rate = (low + high) / 2
    return best


def table(args: argparse.Namespace) -> None:
    setups = [("sqlite", 1), ("postgres", 1), ("postgres", 2)]
    models = [(300, 25.0), (3000, 50.0)]
    print(f"load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f} (1, 5, 15 min)")
    print(HEADER, flush=True)
    results = []
    for delay, rate in models:
        for backend, workers in setups:
            baseline = args.baseline if delay < 1000 else max(3, args.baseline // 3)  # 3 s turns are long
            config = Config(
                backend, workers, delay, args.conversations, rate, int(rate * args.seconds), baseline,
                args.database_url,
            )  # fmt: skip
            result = run(config)
            print(row(result), flush=True)
            results.append(result)
            if not result.meets and args.search:
                best = highest_rate(config, rate, args.search_seconds)
                print(" highest:", row(best) if best else "none found", flush=True)
    print(f"load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f} (1, 5, 15 min)")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="postgres")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--model-delay-ms", type=int, default=300)
    parser.add_argument("--conversations", type=int, default=200)
    parser.add_argument("--rate", type=float, default=25.0, help="turns offered per second")
    parser.add_argument("--seconds", type=float, default=24.0, help="how long turns arrive")
    parser.add_argument("--baseline", type=int, default=8, help="unloaded turns timed first")
    parser.add_argument(
        "--database-url", default=os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
    )
    parser.add_argument("--table", action="store_true", help="the side-by-side table (see above)")
    parser.add_argument("--search", action="store_true", help="with --table: the highest rate that meets p99")
    parser.add_argument("--search-seconds", type=float, default=10.0)
    args = parser.parse_args(argv)
    if args.table:
        table(args)
        return
    config = Config(
        args.backend, args.workers, args.model_delay_ms, args.conversations, args.rate,
        int(args.rate * args.seconds), args.baseline, args.database_url,
    )  # fmt: skip
    print(HEADER)
    print(row(run(config)))


if __name__ == "__main__":
    main()
