"""`make run`: start the sandbox for whatever endpoint is not configured, and serve the API.

Prints which endpoints are real (configured) and which the sandbox stands in for, and names a
configured endpoint that accepts no connection; with `SUPPORT_ENV=prod` an endpoint a brand uses that
is not configured stops the start (`config.endpoints`).

`WORKERS=N` serves the port with N processes, on PostgreSQL only (SQLite is refused with the reason);
their `/metrics` are added up (`tools.metrics`, prometheus_client's multiprocess mode).

Serves the brands of `Settings.brands()` (`SUPPORT_BRANDS_DIR`, else `brands/`) and prints their dev
keys, and a curl example when acme is among them. The sandbox runs as a child process for the same
brand files; it writes `$DATA_DIR/sandbox.json` and is stopped when the API stops. A brand file that
does not load, or a port already in use, stops `make run` before anything starts or is printed.

Stopping: SIGTERM or SIGINT (Ctrl-C) shuts uvicorn down (requests still running get `GRACE_S`),
then the sandbox is stopped and waited for, whenever the signal comes (during start-up too).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from types import FrameType

import uvicorn
from uvicorn.supervisors import Multiprocess

from brands import BRANDS_DIR, BrandConfig, BrandConfigError
from config.endpoints import describe, unreachable, used_endpoints
from config.settings import Settings, get_settings
from launch.http import HeaderCappedH11

BANNER = """
Support graph on http://{host}:{port}  (env={env}, store={store}, workers={workers})
Endpoints (real: configured; sandbox: started by make run for what is not):
{endpoints}
Brands from {folder} (dev keys, accepted only with SUPPORT_ENV=dev): {keys}
Metrics: {metrics}
"""
EXAMPLE = """
Try:
  curl -s -X POST http://{host}:{port}/v1/conversations/demo-1/messages \\
    -H 'Authorization: Bearer acme-dev-key' -H 'Content-Type: application/json' \\
    -d '{{"message_id": "m1", "text": "where is my order 1001?", "customer": {{"id": "cus_alice", "email": "alice@example.com"}}}}'
  curl -s http://{host}:{port}/v1/conversations/demo-1 -H 'Authorization: Bearer acme-dev-key'
"""
GRACE_S = 1.0
"""How long a stop signal lets requests in flight finish before they are cancelled (a turn cut off
is answered exactly once on its retry): the sandbox is down within 5 s of the signal."""
SANDBOX_STOP_S = 5.0


def listen_on(host: str, port: int) -> socket.socket:
    """The API's socket, bound before anything starts: a busy port stops `make run` before its banner."""
    family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn: a TIME_WAIT port is free
    try:
        sock.bind(address)
    except OSError as exc:
        sock.close()
        raise SystemExit(f"cannot listen on {host}:{port}: {exc.strerror}; set PORT to a free port") from None
    return sock


def start_sandbox(data_dir: Path, brands_dir: Path | None, timeout: float = 20.0) -> subprocess.Popen[bytes]:
    """Start `python -m sandbox` for the brand files in `brands_dir` (None: `brands/`) and wait until
    it has written its URLs; if the wait ends any other way (a stop signal too), stop it first."""
    target = data_dir / "sandbox.json"
    target.unlink(missing_ok=True)
    command = [sys.executable, "-m", "sandbox", "--data-dir", str(data_dir)]
    proc = subprocess.Popen([*command, "--brands-dir", str(brands_dir or BRANDS_DIR)])
    try:
        deadline = time.monotonic() + timeout
        while not target.exists():
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the sandbox did not start (see its output above); {target} missing")
            time.sleep(0.05)
    except BaseException:
        stop_sandbox(proc)
        raise
    return proc


def stop_sandbox(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM, then SIGKILL if it is still there after `SANDBOX_STOP_S`."""
    proc.terminate()
    try:
        proc.wait(timeout=SANDBOX_STOP_S)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def served_brands(settings: Settings) -> Mapping[str, BrandConfig]:
    """The brands `settings` serve; a brand file that does not load stops the launcher with its reason."""
    try:
        return settings.brands()
    except BrandConfigError as exc:
        raise SystemExit(f"brand files: {exc}") from None


def banner(settings: Settings, brands: Mapping[str, BrandConfig], endpoints: str) -> str:
    """What `make run` prints first: where it listens, the endpoints (`config.endpoints.describe`),
    each brand's dev keys, an example."""
    keys = ", ".join(f"{b.brand_id} -> {' '.join(b.dev_api_keys) or '(none)'}" for b in brands.values())
    store = "postgres" if settings.database_url else f"sqlite at {settings.data_dir / 'support.sqlite'}"
    folder = settings.brands_dir or BRANDS_DIR
    metrics = (
        "GET /metrics with Authorization: Bearer $SUPPORT_METRICS_TOKEN"
        if settings.metrics_token
        else "GET /metrics is closed (set SUPPORT_METRICS_TOKEN to open it to that token)"
    )
    text = BANNER.format(
        host=settings.host,
        port=settings.port,
        env=settings.env,
        store=store,
        workers=settings.workers,
        endpoints=endpoints,
        folder=folder,
        keys=keys,
        metrics=metrics,
    )
    return text + (EXAMPLE.format(host=settings.host, port=settings.port) if "acme" in brands else "")


def check_workers(settings: Settings) -> None:
    """Several workers share the conversations' locks through PostgreSQL only: refuse them on SQLite."""
    if settings.workers > 1 and not settings.database_url:
        raise SystemExit(
            f"WORKERS={settings.workers} needs PostgreSQL: the SQLite store serves one process. "
            "Set DATABASE_URL=postgresql://... (docs/serving.md), or run with WORKERS=1."
        )


def metrics_dir(settings: Settings) -> Path | None:
    """With several workers, a fresh folder for their metrics files (`PROMETHEUS_MULTIPROC_DIR`,
    inherited by the workers: `tools.metrics` adds them up); None with one worker."""
    if settings.workers == 1:
        return None
    folder = settings.data_dir / f"metrics-{settings.port}"
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.db"):  # a previous run's counts are not this run's
        stale.unlink()
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(folder)
    return folder


def server(settings: Settings) -> uvicorn.Server:
    """uvicorn for the app, with the header cap in the protocol (`launch.http`) and a bounded grace."""
    config = uvicorn.Config(
        "launch.asgi:app",
        host=settings.host,
        port=settings.port,
        log_level="info",
        http=HeaderCappedH11,
        h11_max_incomplete_event_size=settings.max_header_bytes,
        timeout_graceful_shutdown=GRACE_S,
        workers=settings.workers,
    )
    return uvicorn.Server(config)


def _exit_on_sigterm(signum: int, _frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)


def main() -> None:
    settings = get_settings()
    brands = served_brands(settings)
    check_workers(settings)
    endpoints = used_endpoints(settings, brands)
    missing = [e for e in endpoints if e.url is None]
    if missing and settings.env == "prod":
        names = ", ".join(f"{e.name} ({e.variable})" for e in missing)
        raise SystemExit(f"SUPPORT_ENV=prod and not configured: {names}; the sandbox stands in only in dev")
    sock = listen_on(settings.host, settings.port)
    # SIGTERM ends the process through `finally` (SIGINT does already, as KeyboardInterrupt): from
    # here on, whenever it comes. uvicorn restores this handler and re-raises the stop signal once it
    # has shut down; with the default SIGTERM action the process died there and the sandbox outlived it.
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    sandbox = None
    try:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        metrics_dir(settings)
        sandbox = start_sandbox(settings.data_dir, settings.brands_dir) if missing else None
        urls = settings.sandbox_file() if sandbox else None
        print(banner(settings, brands, describe(endpoints, urls)), flush=True)
        for endpoint, why in unreachable(endpoints):
            print(
                f"WARNING: {endpoint.name} at {endpoint.url} ({endpoint.variable}) is unreachable: {why}",
                flush=True,
            )
        api = server(settings)
        if settings.workers > 1:  # as `uvicorn.run` does, on the socket bound first
            Multiprocess(api.config, sockets=[sock]).run()
        else:
            api.run(sockets=[sock])
    except KeyboardInterrupt:  # Ctrl-C: uvicorn has shut down; no traceback, the shell's status
        raise SystemExit(128 + signal.SIGINT) from None
    finally:
        sock.close()
        if sandbox:
            stop_sandbox(sandbox)


if __name__ == "__main__":
    main()
