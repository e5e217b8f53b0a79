"""Fault soak: conversations under failing tools and a failing model (`python -m bench.fault_soak`).

N conversations of about M turns each (`--turns` is the total; `--conversations` defaults to about
its square root, at least 4) go through the real API path, `POST /v1/conversations/{id}/messages`
on the FastAPI app from `api.app.create_app` with its lifespan entered, called through
`httpx.ASGITransport` in the bench's own event loop (as `bench.systems` does), against the sandbox
servers started in-process (`bench.environment.sandbox`). Customer alice@example.com of the bench's
brand (`bench.systems.BRAND`, acme, with its dev key), texts drawn from `TEXTS`; SQLite by default, `--backend postgres` in a throwaway
database dropped after the run.

Faults are injected only through the sandbox servers' own admin modes, never by patching a client.
Before the run a plan is drawn from `random.Random(--seed)`: for every turn its text, whether a
tool backend fails for it (share `--tool-fail`; then one of `TOOL_FAULTS`, uniformly), whether the
model answers 5xx to every call of it (share `--model-fail`; mode `down`), and which
messages are sent a second time with the same `message_id` (`--retry-share` of the turns,
at least one). Turns run in
ticks (turn k of every conversation); within a tick the turns sharing one fault profile run
together (up to `--parallel` at once) with that profile's modes set, and the modes go back to
`normal` before the next group. Every mode used either fails every request of the group or
fails one and lets the service's retry through (`times: 1`), so the figures depend on the seed
only, not on the order in which concurrent requests arrive. Retries of a tick are sent one at a
time after it, with every server healthy: the body must equal the first answer and the sandbox
model must see no request.

After the soak, per conversation: the saved checkpoint (the app's graph, `aget_state`) is checked
for dangling tool calls in `messages` and in every run's `transcript`; then one more turn is sent
with everything healthy (a probe, after a `handed_back` event: the faults handed asks to a person,
who gives the conversation back). A thread is poisoned when the sandbox model answered 400 to that
probe, or the probe did not resolve (not 200, a handoff, or no workflow resolved). Lost inbound
messages: every `message_id` sent must be stored exactly once as a customer message (the store
behind `GET /v1/conversations/{id}`), and the customer messages that GET returns must be the texts
sent, in order. Duplicate replies: a `message_id` with more than one stored AI reply, more AI
messages in the GET than turns, or a retry that answered differently or reached the model.

Printed and returned by `run(args)`: turns, ok and failed turns (non-200, or an `internal_error`
handoff), handoffs by reason, repairs (WARNING lines of the `nodes.repair` logger, and the sum of
the threads' `repairs` state), poisoned threads, lost inbound messages, duplicate replies, and the
injected faults. `main()` exits 1 when poisoned, lost or duplicate is not 0, 2 when the bench
could not run.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import math
import os
import random
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import httpx
from langgraph.graph.state import CompiledStateGraph

from api.app import create_app
from bench.environment import BenchError, Sandbox, sandbox, throwaway_databases
from bench.systems import API_KEY, CUSTOMER, bench_settings, our_thread
from service.core import Service
from state.tool_calls import dangling_calls
from tools.http import get_client

TEXTS = ("where is my order 1001?", "please cancel my subscription sub_501", "where is my order 1002?")
PROBE_TEXT = "where is my order 1001?"
TOOL_FAULTS: dict[str, dict[str, dict[str, Any]]] = {
    # the store answers 503 to every request: the lookup fails after the client's retries
    "store_down": {"commerce": {"mode": "down"}},
    # UPS and the aggregator answer 500: live tracking of order #1001 is unavailable
    "carriers_down": {"ups": {"mode": "server_error"}, "aggregator": {"mode": "server_error"}},
    # one 503 from UPS, then normal: the client's retry gets through
    "carrier_blip": {"ups": {"mode": "down", "times": 1, "retry_after": 0}},
}
MODEL_FAULT = {"model": {"mode": "down"}}
ABORT_FAULT = {"commerce": {"mode": "slow", "delay_ms": 1500}}
"""An aborted turn: the store is slow and the client gives up after `ABORT_AFTER_S`, mid-tool."""
ABORT_AFTER_S = 0.3
BACKENDS = ("sqlite", "postgres")
DEFAULT_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/test"
REPAIR_LOGGER = "nodes.repair"


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.fault_soak", description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=20, help="total soak turns (default 20)")
    parser.add_argument(
        "--conversations",
        type=int,
        default=None,
        help="conversations (default about sqrt(turns), at least 4)",
    )
    parser.add_argument(
        "--tool-fail", type=float, default=0.2, help="share of turns whose tool backend fails"
    )
    parser.add_argument("--model-fail", type=float, default=0.05, help="share of turns the model answers 5xx")
    parser.add_argument("--retry-share", type=float, default=0.05, help="share of turns sent twice")
    parser.add_argument(
        "--abort-share",
        type=float,
        default=0.0,
        help="share of turns the client abandons mid-tool, then resends (default 0)",
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--parallel", type=int, default=None, help="turns at once (default: conversations)")
    parser.add_argument("--backend", choices=BACKENDS, default="sqlite")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("DATABASE_URL", DEFAULT_ADMIN_URL),
        help="a database to connect to for CREATE/DROP DATABASE (default $DATABASE_URL)",
    )
    args = parser.parse_args(argv)
    if args.turns < 1:
        parser.error("--turns must be at least 1")
    if args.conversations is None:
        args.conversations = max(4, math.isqrt(args.turns))
    args.conversations = min(args.conversations, args.turns)
    if args.conversations < 1:
        parser.error("--conversations must be at least 1")
    if args.parallel is None:
        args.parallel = args.conversations
    for name in ("tool_fail", "model_fail", "retry_share", "abort_share"):
        if not 0.0 <= getattr(args, name) <= 1.0:
            parser.error(f"--{name.replace('_', '-')} must be between 0 and 1")
    if args.parallel < 1:
        parser.error("--parallel must be at least 1")
    return args


@dataclass(frozen=True)
class Planned:
    conversation: str
    index: int
    message_id: str
    text: str
    tool_fault: str | None
    model_fault: bool
    retry: bool
    abort: bool = False

    @property
    def profile(self) -> tuple[str, bool, bool]:
        return (self.tool_fault or "", self.model_fault, self.abort)


def plan(args: argparse.Namespace) -> list[list[Planned]]:
    """Every turn, by tick; the same seed gives the same plan."""
    rng = random.Random(args.seed)
    run_id = f"{rng.getrandbits(32):08x}"
    conversations = [f"soak-{run_id}-{c:04d}" for c in range(args.conversations)]
    base, extra = divmod(args.turns, args.conversations)
    counts = [base + (c < extra) for c in range(args.conversations)]
    faults = sorted(TOOL_FAULTS)
    ticks: list[list[Planned]] = []
    for tick in range(max(counts)):
        turns = []
        for c, conversation in enumerate(conversations):
            text = rng.choice(TEXTS)
            tool = rng.choice(faults) if rng.random() < args.tool_fail else None
            model = rng.random() < args.model_fail
            if tick < counts[c]:
                mid = f"m-{run_id}-{c:04d}-{tick:05d}"
                turns.append(Planned(conversation, tick, mid, text, tool, model, retry=False))
        ticks.append(turns)
    return _with_aborts(_with_retries(ticks, args.retry_share, rng), args.abort_share, args.seed)


def _with_aborts(ticks: list[list[Planned]], share: float, seed: int) -> list[list[Planned]]:
    """Mark aborted turns from a stream of their own (a plan without aborts does not change).

    An aborted turn carries no other fault: its store is slow, not down."""
    if share <= 0:
        return ticks
    rng = random.Random(f"abort-{seed}")
    return [
        [
            replace(t, abort=True, tool_fault=None, model_fault=False) if rng.random() < share else t
            for t in turns
        ]
        for turns in ticks
    ]


def _with_retries(ticks: list[list[Planned]], share: float, rng: random.Random) -> list[list[Planned]]:
    """Mark round(share x turns) turns, at least one when `share` > 0, to be sent twice."""
    ids = [t.message_id for turns in ticks for t in turns]
    k = min(len(ids), max(1, round(share * len(ids)))) if share > 0 else 0
    chosen = set(rng.sample(ids, k))
    return [[replace(t, retry=t.message_id in chosen) for t in turns] for turns in ticks]


class LogCount(logging.Handler):
    """Counts WARNING and above by logger; keeps the first few error lines for the report."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.by_logger: Counter[str] = Counter()
        self.first_errors: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.by_logger[record.name] += 1
        if record.levelno >= logging.ERROR and len(self.first_errors) < 5:
            self.first_errors.append(f"{record.name}: {record.getMessage()}")


@contextmanager
def counting_logs() -> Iterator[LogCount]:
    """Count warnings on the root logger for the run (this also keeps them off stderr)."""
    handler = LogCount()
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield handler
    finally:
        root.removeHandler(handler)


@dataclass
class Tally:
    """What the soak saw, filled as it runs."""

    turns: int = 0
    ok: int = 0
    failed: int = 0
    handoffs: Counter[str] = field(default_factory=Counter)
    statuses: Counter[int] = field(default_factory=Counter)
    faults: Counter[str] = field(default_factory=Counter)
    retries: int = 0
    retry_mismatches: int = 0
    retry_model_calls: int = 0
    aborted: int = 0
    abort_resends_ok: int = 0
    model_400s: int = 0
    answers: dict[str, dict[str, Any] | None] = field(default_factory=dict)
    sent: dict[str, list[tuple[str, str]]] = field(default_factory=dict)


class Admin:
    """The sandbox servers' admin APIs, from the bench's event loop."""

    def __init__(self, sb: Sandbox, http: httpx.AsyncClient) -> None:
        self.sb = sb
        self.http = http

    async def mode(self, system: str, body: dict[str, Any]) -> None:
        response = await self.http.post(f"{self.sb.urls[system]}/_admin/mode", json=body)
        response.raise_for_status()

    async def apply(self, modes: dict[str, dict[str, Any]]) -> None:
        for system, body in modes.items():
            await self.mode(system, body)

    async def restore(self, modes: dict[str, dict[str, Any]]) -> None:
        for system in modes:
            await self.mode(system, {"mode": "normal"})

    async def model_requests(self) -> int:
        response = await self.http.get(f"{self.sb.model}/_admin/state")
        response.raise_for_status()
        return int(response.json()["requests"])


def modes_of(turn: Planned) -> dict[str, dict[str, Any]]:
    if turn.abort:
        return ABORT_FAULT
    return {
        **(TOOL_FAULTS[turn.tool_fault] if turn.tool_fault else {}),
        **(MODEL_FAULT if turn.model_fault else {}),
    }


class Soak:
    """One app, one sandbox, one plan."""

    def __init__(
        self, api: httpx.AsyncClient, graph: CompiledStateGraph, service: Service, admin: Admin
    ) -> None:
        self.api, self.graph, self.service, self.admin = api, graph, service, admin
        self.tally = Tally()

    async def post(self, conversation: str, message_id: str, text: str) -> httpx.Response:
        body = {"message_id": message_id, "text": text, "customer": CUSTOMER}
        return await self.api.post(f"/v1/conversations/{conversation}/messages", json=body, headers=API_KEY)

    async def turn(self, turn: Planned, gate: asyncio.Semaphore) -> None:
        t = self.tally
        t.sent.setdefault(turn.conversation, []).append((turn.message_id, turn.text))
        async with gate:
            if turn.abort:
                try:
                    await asyncio.wait_for(
                        self.post(turn.conversation, turn.message_id, turn.text), ABORT_AFTER_S
                    )
                except TimeoutError:
                    t.aborted += 1
                    return  # counted when resent, with the servers healthy again
            response = await self.post(turn.conversation, turn.message_id, turn.text)
        self.record(turn, response)

    def record(self, turn: Planned, response: httpx.Response) -> None:
        t = self.tally
        t.turns += 1
        t.statuses[response.status_code] += 1
        out = response.json() if response.status_code == 200 else None
        t.answers[turn.message_id] = out
        reason = (out.get("handoff") or {}).get("reason") if out else None
        if reason:
            t.handoffs[reason] += 1
        if out is None or reason == "internal_error":
            t.failed += 1
        else:
            t.ok += 1

    async def retry(self, turn: Planned) -> None:
        """Send `turn` again with the same message_id: the same answer, and no model run."""
        before = await self.admin.model_requests()
        response = await self.post(turn.conversation, turn.message_id, turn.text)
        calls = await self.admin.model_requests() - before
        first = self.tally.answers[turn.message_id]
        self.tally.retries += 1
        self.tally.retry_model_calls += calls
        if first is not None and (response.status_code != 200 or response.json() != first):
            self.tally.retry_mismatches += 1
        elif calls:
            self.tally.retry_mismatches += 1

    async def resend(self, turn: Planned) -> None:
        """The client's retry of an abandoned turn: its answer is the turn's answer."""
        response = await self.post(turn.conversation, turn.message_id, turn.text)
        self.tally.abort_resends_ok += response.status_code == 200
        self.record(turn, response)

    async def tick(self, turns: Sequence[Planned], parallel: int) -> None:
        gate = asyncio.Semaphore(parallel)
        for profile in sorted({t.profile for t in turns}):
            group = [t for t in turns if t.profile == profile]
            modes = modes_of(group[0])
            for kind in filter(
                None, (profile[0], "model_down" if profile[1] else "", "abort" if profile[2] else "")
            ):
                self.tally.faults[kind] += len(group)
            await self.admin.apply(modes)
            try:
                await asyncio.gather(*(self.turn(t, gate) for t in group))
            finally:
                await self.admin.restore(modes)
        for t in turns:
            if t.abort and t.message_id not in self.tally.answers:
                await self.resend(t)
        for t in turns:
            if t.retry:
                await self.retry(t)

    async def inspect(self, conversation: str) -> dict[str, int]:
        """The saved state, a healthy probe turn, and the stored log of one conversation."""
        thread = our_thread(conversation)
        values = (await self.graph.aget_state({"configurable": {"thread_id": thread}})).values
        dangling = len(dangling_calls(values.get("messages", [])))
        dangling += sum(len(dangling_calls(r["transcript"])) for r in values.get("runs", {}).values())
        before = self.tally.model_400s
        # the faults handed asks to a person; the person hands the conversation back, so the probe
        # is answered by the AI and shows whether the saved state can still be used
        back = {"event_id": f"probe-back-{conversation}", "type": "handed_back", "author": "soak"}
        await self.api.post(f"/v1/conversations/{conversation}/events", json=back, headers=API_KEY)
        probe_id = f"probe-{conversation}"
        response = await self.post(conversation, probe_id, PROBE_TEXT)
        self.tally.sent[conversation].append((probe_id, PROBE_TEXT))
        out = response.json() if response.status_code == 200 else {}
        resolved = (
            bool(out) and not out["handoff"] and any(w["status"] == "resolved" for w in out["workflows"])
        )
        poisoned = self.tally.model_400s > before or not resolved
        return {
            "dangling": dangling,
            "poisoned": int(poisoned),
            "repairs_state": int(values.get("repairs", 0)),
            **await self.stored(conversation, thread),
        }

    async def stored(self, conversation: str, thread: str) -> dict[str, int]:
        """Lost inbound messages and duplicate replies of one conversation, after its probe."""
        sent = self.tally.sent[conversation]
        log = await self.service.persistence.store.messages(thread)
        customer = Counter(m.message_id for m in log if m.author == "customer")
        replies = Counter(m.message_id for m in log if m.author == "ai")
        lost = sum(1 for mid, _ in sent if customer[mid] == 0)
        extra_inbound = sum(n - 1 for n in customer.values() if n > 1)
        duplicate = sum(n - 1 for n in replies.values() if n > 1)
        response = await self.api.get(f"/v1/conversations/{conversation}", headers=API_KEY)
        response.raise_for_status()
        shown = response.json()["messages"]
        texts = [m["text"] for m in shown if m["author"] == "customer"]
        if texts != [text for _, text in sent]:
            lost = max(lost, len(sent) - len(texts), 1)
        duplicate = max(duplicate, sum(m["author"] == "ai" for m in shown) - len(sent))
        return {"lost": lost, "extra_inbound": extra_inbound, "duplicate": duplicate}


@asynccontextmanager
async def open_app(
    database_url: str | None, data_dir: Path
) -> AsyncIterator[tuple[httpx.AsyncClient, Service]]:
    app = create_app(bench_settings(database_url, data_dir))
    # an exception escaping the app is a 500 to the client, as under uvicorn, and a failed turn here
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://bench", timeout=120) as api,
    ):
        yield api, app.state.service


async def soak(
    sb: Sandbox, args: argparse.Namespace, database_url: str | None, data_dir: Path
) -> dict[str, Any]:
    ticks = plan(args)
    async with (
        open_app(database_url, data_dir) as (api, service),
        httpx.AsyncClient(timeout=10) as admin_http,
    ):
        s = Soak(api, service.graph, service, Admin(sb, admin_http))

        async def on_model_response(response: httpx.Response) -> None:
            if response.status_code == 400:
                s.tally.model_400s += 1

        model_client = get_client("model")  # the client this loop's chat model uses
        model_client.event_hooks["response"].append(on_model_response)
        started = time.perf_counter()
        for turns in ticks:
            await s.tick(turns, args.parallel)
        soak_s = time.perf_counter() - started
        soak_400s = s.tally.model_400s
        per_thread = [await s.inspect(c) for c in sorted(s.tally.sent)]
    t = s.tally
    total = Counter[str]()
    for row in per_thread:
        total.update(row)
    return {
        "turns": t.turns,
        "ok_turns": t.ok,
        "failed_turns": t.failed,
        "http_statuses": dict(sorted(t.statuses.items())),
        "handoffs": sum(t.handoffs.values()),
        "handoffs_by_reason": dict(sorted(t.handoffs.items())),
        "faults_injected": dict(sorted(t.faults.items())),
        "retries": t.retries,
        "retry_model_calls": t.retry_model_calls,
        "aborted": t.aborted,
        "abort_resends_ok": t.abort_resends_ok,
        "model_400s_during_soak": soak_400s,
        "dangling_saved": total["dangling"],
        "repairs_state": total["repairs_state"],
        "poisoned": total["poisoned"],
        "lost": total["lost"],
        "extra_inbound": total["extra_inbound"],
        "duplicate": total["duplicate"] + t.retry_mismatches,
        "soak_seconds": round(soak_s, 1),
    }


@contextmanager
def _database(args: argparse.Namespace) -> Iterator[str | None]:
    if args.backend == "sqlite":
        yield None
        return
    with throwaway_databases(args.postgres_url, 1) as urls:
        yield urls[0]


def report(figures: dict[str, Any]) -> str:
    reasons = ", ".join(f"{k} {v}" for k, v in figures["handoffs_by_reason"].items()) or "none"
    faults = ", ".join(f"{k} {v}" for k, v in figures["faults_injected"].items()) or "none"
    return "\n".join(
        [
            f"fault soak [{figures['backend']}]: {figures['conversations']} conversations, seed {figures['seed']}, "
            f"tool-fail {figures['tool_fail']}, model-fail {figures['model_fail']}, {figures['soak_seconds']} s",
            f"  turns              {figures['turns']} (ok {figures['ok_turns']}, HTTP {figures['http_statuses']})",
            f"  failed turns       {figures['failed_turns']}",
            f"  handoffs           {figures['handoffs']} ({reasons})",
            f"  faults injected    {faults}",
            f"  repairs            {figures['repairs']} (logged; state sum {figures['repairs_state']})",
            f"  dangling saved     {figures['dangling_saved']}",
            f"  model 400s (soak)  {figures['model_400s_during_soak']}",
            f"  aborted turns      {figures['aborted']} (resent, answered 200: {figures['abort_resends_ok']})",
            f"  retries            {figures['retries']} (model calls during them {figures['retry_model_calls']})",
            f"  poisoned threads   {figures['poisoned']}",
            f"  lost inbound       {figures['lost']}",
            f"  duplicate replies  {figures['duplicate']}",
            f"  verdict            {'PASS' if figures['pass'] else 'FAIL'}",
        ]
    )


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Soak once; print the figures; return them."""
    with (
        sandbox() as sb,
        tempfile.TemporaryDirectory(prefix="bench-soak-") as tmp,
        _database(args) as url,
        counting_logs() as logs,
    ):
        sb.reset()
        figures = asyncio.run(soak(sb, args, url, Path(tmp)))
    figures.update(
        backend=args.backend,
        conversations=args.conversations,
        seed=args.seed,
        tool_fail=args.tool_fail,
        model_fail=args.model_fail,
        repairs=logs.by_logger[REPAIR_LOGGER],
        warnings_by_logger=dict(sorted(logs.by_logger.items())),
        first_errors=logs.first_errors,
    )
    figures["pass"] = figures["poisoned"] == figures["lost"] == figures["duplicate"] == 0
    print(report(figures), flush=True)
    return figures


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        figures = run(args)
    except BenchError as exc:
        print(f"bench.fault_soak: {exc}")
        return 2
    return 0 if figures["pass"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
