"""`make studio`: serve the support graph with `langgraph dev` for LangGraph Studio, offline.

With no model endpoint configured it first starts the sandbox (`python -m sandbox`, see
`launch.serve.start_sandbox`) for the same brand files as the graph (`SUPPORT_BRANDS_DIR`, else
`brands/`) and stops it when `langgraph dev` exits. `langgraph dev` runs from the
repository root, as `langgraph.json` names the graph by a path relative to it; its in-memory
runtime keeps threads under `.langgraph_api/` there (git-ignored).

Invariant guarded here: the printed Studio URL is the port the server really binds. `langgraph
dev` only warns on a busy port and binds a random one instead, so a busy port stops us first.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import FrameType

from brands import BRANDS_DIR, BrandConfig
from config.settings import get_settings
from launch.serve import served_brands, start_sandbox

REPO = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
EXAMPLE_CONTEXT = {
    "brand_id": "acme",
    "customer_id": "cus_alice",
    "customer_email": "alice@example.com",
    "customer_verified": True,
}
"""The banner's example context: acme's demo customer, or the first brand served when acme is not."""
EXAMPLE_INPUT = {"message_id": "m1", "inbound_text": "where is my order 1001?"}
OFFLINE_ENV = {"LANGGRAPH_CLI_NO_ANALYTICS": "1", "LANGGRAPH_NO_VERSION_CHECK": "true"}
"""Keep `langgraph dev` off the network: no CLI analytics ping, no PyPI version check."""

BANNER = """
LangGraph Studio for the support graph (graph id "support"), model: {model}
  Studio: https://smith.langchain.com/studio/?baseUrl={url}
  API:    {url}  (docs at {url}/docs)
  Brands: {brands}  (from {folder})

Each run needs the brand and customer as runtime context (the graph's context_schema, a BrandContext):
  {context}
In Studio, set it as the assistant's context (assistant settings); over HTTP, per run. A run without a
brand_id, or with an unknown one, fails; without a customer, order look-ups answer "not found" (docs/studio.md).
Over HTTP:
  tid=$(curl -s -X POST {url}/threads -H 'Content-Type: application/json' -d '{{}}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["thread_id"])')
  curl -s -X POST {url}/threads/$tid/runs/wait -H 'Content-Type: application/json' \\
    -d '{{"assistant_id": "support", "input": {input}, "context": {context}}}'
Stop with Ctrl-C.
"""


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m launch.studio", description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=get_settings().data_dir)
    parser.add_argument("--port", type=int, default=8123)
    return parser.parse_args(argv)


def port_is_free(host: str, port: int) -> bool:
    """The check `langgraph dev` makes before it switches ports (SO_REUSEADDR, as uvicorn binds)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def langgraph_dev_command(port: int, config: Path = REPO / "langgraph.json") -> list[str]:
    """The `langgraph dev` command line, from the same virtualenv as this interpreter."""
    langgraph = Path(sys.executable).parent / "langgraph"
    return [
        str(langgraph), "dev", "--no-browser", "--no-reload",
        "--host", HOST, "--port", str(port), "--config", str(config),
    ]  # fmt: skip


def studio_env(data_dir: Path, base: Mapping[str, str] = os.environ) -> dict[str, str]:
    """The server's environment: `DATA_DIR` (absolute) so the graph finds the sandbox, the brands
    folder (absolute: the server runs from the repository root) so it serves the same brands, offline."""
    env = {**OFFLINE_ENV, **base, "DATA_DIR": str(data_dir.resolve())}
    if env.get("SUPPORT_BRANDS_DIR"):
        env["SUPPORT_BRANDS_DIR"] = str(Path(env["SUPPORT_BRANDS_DIR"]).resolve())
    return env


def example_context(brands: Mapping[str, BrandConfig]) -> dict[str, str | bool]:
    """`EXAMPLE_CONTEXT` if acme is served, else the first brand served with a customer to fill in."""
    if "acme" in brands:
        return EXAMPLE_CONTEXT
    return {
        "brand_id": next(iter(brands)),
        "customer_id": "<customer id>",
        "customer_email": "<customer email>",
        "customer_verified": True,
    }


def serve(port: int, env: Mapping[str, str]) -> int:
    """Run `langgraph dev` until it exits; SIGTERM to us stops it first.

    Returns its exit code, 128 + N when it ended on signal N (uvicorn re-raises the stop signal).
    """
    server = subprocess.Popen(langgraph_dev_command(port), cwd=REPO, env=dict(env))

    def stop(_signum: int, _frame: FrameType | None) -> None:
        server.terminate()

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        while True:
            try:
                code = server.wait()
                return 128 - code if code < 0 else code
            except KeyboardInterrupt:
                # Ctrl-C reached the whole process group: the server is shutting down too.
                continue
    finally:
        signal.signal(signal.SIGTERM, previous)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if not port_is_free(HOST, args.port):
        raise SystemExit(
            f"port {args.port} on {HOST} is in use; choose another, e.g. make studio STUDIO_PORT=8124"
        )
    data_dir: Path = args.data_dir.resolve()
    settings = get_settings().model_copy(update={"data_dir": data_dir})
    brands = served_brands(settings)
    data_dir.mkdir(parents=True, exist_ok=True)
    env = studio_env(data_dir)
    sandbox = start_sandbox(data_dir, settings.brands_dir) if settings.is_sandbox else None
    try:
        model = settings.model_url() + (" (the sandbox stand-in model)" if sandbox else "")
        print(
            BANNER.format(
                model=model,
                url=f"http://{HOST}:{args.port}",
                brands=", ".join(brands),
                folder=settings.brands_dir or BRANDS_DIR,
                context=json.dumps(example_context(brands)),
                input=json.dumps(EXAMPLE_INPUT),
            ),
            flush=True,
        )
        return serve(args.port, env)
    finally:
        if sandbox:
            sandbox.terminate()
            sandbox.wait(timeout=10)


if __name__ == "__main__":
    sys.exit(main())
