"""One deployment, a thousand brands (`make bench-brands`, `python -m bench.brand_scale`).

Generates 1,000 brand files (acme and globex as they are, 998 more), each enabling up to 30
workflows: the five real ones and synthetic ones (`bench/synthetic_workflows.py`), each synthetic
one configured per brand under `workflows.<name>` (instructions, tone, policy parameters) and
validated at start by that workflow's own schema. Then starts the API as a process of its own on
them, and in the same run on the two demo brands with the real registry, both on SQLite with
`SUPPORT_ENV=dev` and the sandbox servers already running in this process (their start is not
counted), and measures for each:

- start: from spawning the process to the first `GET /healthz` answered (imports, brand files,
  registry checks, the graph compiled, the database opened);
- RSS of the API process after start and after the measured turns (`/proc/<pid>/status`);
- turn time: acme's "where is my order 1001?" on a new conversation, wall time at the client,
  with the sandbox model answering at once; so the service's own work plus the sandbox's answer
  times, the same for both. The two services take turns in blocks (ABBA), so load elsewhere on the
  machine lands on both;
- graphs compiled in the process (counted at `StateGraph.compile`): the workflows' subgraphs and
  the main graph, once each, never per brand.

Targets (exit 1 when one is missed): start <= 5 s and RSS <= 500 MB with 1,000 brands; turn p50
within 1.1x of the two-brand service's; graphs compiled = workflows + 1 in both.

`serve` is the API process the bench starts (`python -m bench.brand_scale serve --workflows N
--port P`): the app of `api.app.create_app` on the registry with N workflows, plus
`GET /_bench/figures`.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import yaml

ROOT = Path(__file__).resolve().parents[1]
TONES = ("warm and concise", "formal", "playful", "plain and direct", "calm and reassuring")
DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
TARGETS = {"start_s": 5.0, "rss_mb": 500.0, "turn_ratio": 1.1}


# -- the brand files
def brand_file(n: int, workflows: int, rng: random.Random) -> dict[str, Any]:
    """The `n`th generated brand: up to `workflows` enabled, each synthetic one configured."""
    from bench.synthetic_workflows import synthetic_names

    brand_id = f"brand{n:04d}"
    from workflows.registry import REGISTRY

    real = tuple(REGISTRY.names)
    synthetic = synthetic_names(workflows - len(real))  # as `scaled_registry` adds them
    enabled = workflows if n == 1 else rng.randint(max(len(real), workflows // 2), workflows)
    chosen = [*real, *synthetic][:enabled]
    sections: dict[str, Any] = {name: None for name in chosen if name in real}
    for name in chosen[len(sections) :]:
        sections[name] = {
            "instructions": f"For {brand_id}: {name.replace('_', ' ')} by the book, cite the policy once.",
            "tone": rng.choice(TONES),
            "refund_cap": rng.randint(10, 500),
            "window_days": rng.randint(7, 90),
            "escalate_after_turns": rng.randint(1, 6),
            "languages": rng.sample(["en", "fr", "de", "es", "it"], rng.randint(1, 3)),
        }
    env = brand_id.upper()
    return {
        "brand_id": brand_id,
        "display_name": f"Brand {n:04d}",
        "tone": rng.choice(TONES),
        "workflows": sections,
        "commerce": {
            "shop": f"shop{n:04d}",
            "shopify_token_env": f"{env}_SHOPIFY",
            "recharge_token_env": f"{env}_RC",
        },
        "carriers": {
            "native": {
                "ups": {
                    "cost_per_lookup": 0.002,
                    "client_id_env": f"{env}_UPS_ID",
                    "client_secret_env": f"{env}_UPS_SECRET",
                },
                "dhl": {"cost_per_lookup": 0.003, "api_key_env": f"{env}_DHL"},
            },
            "aggregator": {"price_per_lookup": 0.04, "api_key_env": f"{env}_AGG"},
        },
        "subscriptions": {"retention_offer": {"text": f"{rng.randint(10, 50)}% off your next delivery"}},
        "returns": {"window_days": rng.randint(14, 60), "refund_cap": rng.randint(50, 300)},
        "dev_api_keys": [f"{brand_id}-dev-key"],
        "price_per_automated_conversation": round(rng.uniform(0.5, 1.5), 2),
        "limits": {"turns_per_second": 20, "burst": 60, "concurrent_turns": 16},
        "model_price": {"per_1k_input": 0.00015, "per_1k_output": 0.0006},
    }


def generate(directory: Path, brands: int, workflows: int, seed: int = 21) -> None:
    """`brands` brand files in `directory`: acme and globex as the repository has them, then the rest."""
    directory.mkdir(parents=True, exist_ok=True)
    for name in ("acme.yaml", "globex.yaml"):
        shutil.copy(ROOT / "brands" / name, directory / name)
    rng = random.Random(seed)
    for n in range(1, brands - 1):
        data = brand_file(n, workflows, rng)
        (directory / f"{data['brand_id']}.yaml").write_text(
            yaml.safe_dump(data, sort_keys=False), encoding="utf-8"
        )


# -- the API process
def serve(workflows: int, host: str, port: int) -> None:
    """Run the API on the settings' brands with `workflows` workflows (0: the real registry)."""
    from langgraph.graph.state import StateGraph

    compiled = {"graphs": 0}
    original = StateGraph.compile

    def counting(self: Any, *args: Any, **kwargs: Any) -> Any:
        compiled["graphs"] += 1
        return original(self, *args, **kwargs)

    StateGraph.compile = counting  # type: ignore[method-assign]  # counted before any graph is built
    import uvicorn

    from api.app import create_app
    from bench.synthetic_workflows import scaled_registry
    from config.settings import get_settings
    from workflows.registry import REGISTRY

    registry = scaled_registry(workflows) if workflows else REGISTRY
    settings = get_settings()
    app = create_app(settings, registry)
    brands = len(list((settings.brands_dir or ROOT / "brands").glob("*.yaml")))  # not parsed twice

    @app.get("/_bench/figures", include_in_schema=False)
    async def figures() -> dict[str, int]:
        return {"graphs_compiled": compiled["graphs"], "workflows": len(registry.workflows), "brands": brands}

    uvicorn.run(app, host=host, port=port, log_level="warning")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


def cpu_s(pid: int) -> float:
    """The CPU time the process has used (user + system): what start costs whatever the machine's load."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Api:
    """One API process the bench started, and what was measured on it."""

    label: str
    brands_dir: Path
    workflows: int
    data_dir: Path
    port: int = 0
    proc: subprocess.Popen[bytes] | None = None
    start_s: float = 0.0
    start_cpu_s: float = 0.0
    rss_started_mb: float = 0.0
    rss_after_mb: float = 0.0
    turns_s: list[float] = field(default_factory=list)
    figures: dict[str, int] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, deadline_s: float = 120.0) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        env = {**os.environ, "SUPPORT_BRANDS_DIR": str(self.brands_dir), "DATA_DIR": str(self.data_dir)}
        env.pop("DATABASE_URL", None)
        cmd = [sys.executable, "-m", "bench.brand_scale", "serve", "--workflows", str(self.workflows)]
        log = (self.data_dir / "api.log").open("ab")
        started = time.perf_counter()
        self.proc = subprocess.Popen(
            [*cmd, "--port", str(self.port)], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        with httpx.Client(timeout=1) as client:
            while time.perf_counter() - started < deadline_s:
                if self.proc.poll() is not None:
                    raise RuntimeError(f"{self.label}: the API exited; see {self.data_dir / 'api.log'}")
                try:
                    if client.get(f"{self.url}/healthz").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                time.sleep(0.02)
            else:
                raise RuntimeError(f"{self.label}: no /healthz within {deadline_s} s")
        self.start_s = time.perf_counter() - started
        self.start_cpu_s = cpu_s(self.proc.pid)
        self.rss_started_mb = rss_mb(self.proc.pid)
        self.figures = httpx.get(f"{self.url}/_bench/figures", timeout=10).json()

    def turn(self, client: httpx.Client) -> float:
        body = {
            "message_id": "m1",
            "text": "where is my order 1001?",
            "customer": {"id": "cus_alice", "email": "alice@example.com"},
        }
        url = f"{self.url}/v1/conversations/bench-{uuid.uuid4().hex[:12]}/messages"
        started = time.perf_counter()
        response = client.post(url, json=body, headers={"Authorization": "Bearer acme-dev-key"})
        took = time.perf_counter() - started
        if response.status_code != 200:
            raise RuntimeError(f"{self.label}: a turn answered {response.status_code}: {response.text[:200]}")
        return took

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.rss_after_mb = rss_mb(self.proc.pid)
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def measure_turns(apis: Sequence[Api], blocks: int, per_block: int, warm: int = 3) -> None:
    with httpx.Client(timeout=60) as client:
        for api in apis:
            for _ in range(warm):
                api.turn(client)
        for block in range(blocks):
            order = apis if block % 2 == 0 else list(reversed(apis))  # ABBA: drift lands on both
            for api in order:
                api.turns_s.extend(api.turn(client) for _ in range(per_block))


# -- the run
def load() -> str:
    """The load average over 1, 5 and 15 minutes (the machine is shared)."""
    return ", ".join(Path("/proc/loadavg").read_text().split()[:3])


def run(args: argparse.Namespace) -> dict[str, Any]:
    from bench.environment import sandbox

    with tempfile.TemporaryDirectory(prefix="brand-scale-") as tmp, sandbox():
        base = Path(tmp)
        made = time.perf_counter()
        generate(base / "brands", args.brands, args.workflows)
        generated_s = time.perf_counter() - made
        two = Api("2 brands", ROOT / "brands", 0, base / "two")
        many = Api(f"{args.brands} brands", base / "brands", args.workflows, base / "many")
        try:
            for api in (two, many):
                api.start()
            measure_turns([two, many], args.blocks, args.per_block)
        finally:
            for api in (two, many):
                api.stop()
    return {
        "load_before": args.load_before,
        "load_after": load(),
        "generated_s": generated_s,
        "apis": [two, many],
    }


def report(figures: dict[str, Any]) -> tuple[str, bool]:
    two, many = figures["apis"]
    p50 = {api.label: statistics.median(api.turns_s) * 1000 for api in (two, many)}
    ratio = p50[many.label] / p50[two.label]
    lines = [
        f"load average (1, 5, 15 min) before {figures['load_before']}, after {figures['load_after']}",
        f"brand files generated in {figures['generated_s']:.1f} s",
        f"{'service':<12} {'brands':>6} {'workflows':>9} {'graphs':>6} {'start s':>8} {'CPU s':>6} "
        f"{'RSS MB':>7} {'RSS after':>9} {'turn p50 ms':>11} {'p90 ms':>7} {'turns':>5}",
    ]
    for api in (two, many):
        f = api.figures
        lines.append(
            f"{api.label:<12} {f['brands']:>6} {f['workflows']:>9} {f['graphs_compiled']:>6} {api.start_s:>8.2f} "
            f"{api.start_cpu_s:>6.2f} "
            f"{api.rss_started_mb:>7.0f} {api.rss_after_mb:>9.0f} {p50[api.label]:>11.1f} "
            f"{statistics.quantiles(api.turns_s, n=10)[-1] * 1000:>7.1f} {len(api.turns_s):>5}"
        )
    checks = [
        (
            f"start with {many.figures['brands']} brands <= {TARGETS['start_s']} s",
            many.start_s <= TARGETS["start_s"],
        ),
        (
            f"RSS with {many.figures['brands']} brands <= {TARGETS['rss_mb']:.0f} MB",
            max(many.rss_started_mb, many.rss_after_mb) <= TARGETS["rss_mb"],
        ),
        (f"turn p50 {ratio:.3f}x of two brands' <= {TARGETS['turn_ratio']}x", ratio <= TARGETS["turn_ratio"]),
        *(
            (
                f"{api.label}: graphs compiled {api.figures['graphs_compiled']} = "
                f"{api.figures['workflows']} workflows + the main graph",
                api.figures["graphs_compiled"] == api.figures["workflows"] + 1,
            )
            for api in (two, many)
        ),
    ]
    lines += [f"{'met   ' if ok else 'MISSED'} {what}" for what, ok in checks]
    return "\n".join(lines), all(ok for _, ok in checks)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench.brand_scale", description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="command")
    s = sub.add_parser("serve", help="the API process the bench starts")
    s.add_argument("--workflows", type=int, default=0, help="workflows in the registry (0: the real ones)")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, required=True)
    p.add_argument("--brands", type=int, default=1000)
    p.add_argument(
        "--workflows", type=int, default=30, help="workflows in the registry, synthetic ones included"
    )
    p.add_argument("--blocks", type=int, default=12, help="blocks of turns, the services alternating")
    p.add_argument("--per-block", type=int, default=10)
    return p.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.command == "serve":
        serve(args.workflows, args.host, args.port)
        return 0
    args.load_before = load()
    text, ok = report(run(args))
    print(text)
    print(json.dumps({"targets_met": ok}))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
