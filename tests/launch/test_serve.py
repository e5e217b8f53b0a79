"""`make run` as a user stops it: every sandbox server it started stops with it, within 5 s of
SIGTERM or Ctrl-C (make and the launcher follow; the launcher's own exit, Python unloading its
modules, takes from 0.5 s to 3 s more on a loaded machine), and no port is left open; a busy port
stops it before its banner."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from tests.utils.apiproc import ROOT, wait_until
from tests.utils.conversations import ACME
from tests.utils.launcher import MakeRun, descendants, is_listening, is_running

pytestmark = pytest.mark.slow
STOP_WITHIN_S = 5.0

# How a stop reaches `make run`: `kill <pid of make>` (make passes SIGTERM on to its child), Ctrl-C
# in a terminal (SIGINT to the whole foreground process group), a container or service manager
# (SIGTERM to the whole group).
STOPS = {
    "SIGTERM to make": lambda run: os.kill(run.proc.pid, signal.SIGTERM),
    "Ctrl-C (SIGINT to the group)": lambda run: os.killpg(run.proc.pid, signal.SIGINT),
    "SIGTERM to the group": lambda run: os.killpg(run.proc.pid, signal.SIGTERM),
}


def turn_in_flight(run: MakeRun) -> threading.Thread:
    """A turn waiting on a model that takes 60 s to answer, started in a thread; returns once the
    model has the request."""
    model = json.loads((run.data_dir / "sandbox.json").read_text())["model"]
    httpx.post(f"{model}/_admin/mode", json={"mode": "slow", "delay_ms": 60_000}).raise_for_status()

    def turn() -> None:
        body = {"message_id": "m1", "text": "where is my order 1001?", "customer": {"id": "cus_alice"}}
        with contextlib.suppress(httpx.HTTPError):
            httpx.post(f"{run.url}/v1/conversations/c1/messages", json=body, headers=ACME, timeout=90)

    thread = threading.Thread(target=turn, daemon=True)
    thread.start()
    asked = lambda: httpx.get(f"{model}/_admin/requests").json()["requests"] != []  # noqa: E731
    assert wait_until(asked, 10)
    return thread


@pytest.mark.parametrize(("stop", "mid_turn"), [*((s, False) for s in STOPS), ("SIGTERM to make", True)])
def test_that_stopping_make_run_stops_every_sandbox_server_within_5_s(
    tmp_path: Path, stop: str, mid_turn: bool
) -> None:
    run = MakeRun(tmp_path / "data", {"SUPPORT_ENV": "dev"})
    try:
        run.start()
        if mid_turn:
            turn_in_flight(run)
            stop += ", a turn waiting on the model"
        processes = descendants(run.proc.pid)
        sandbox = [p for p in processes if b"-m\0sandbox" in Path(f"/proc/{p}/cmdline").read_bytes()]
        sandbox_ports = run.sandbox_ports()
        assert len(sandbox) == 1 and len(sandbox_ports) == 8
        assert all(is_listening(p) for p in [run.port, *sandbox_ports])
        started = time.monotonic()
        STOPS[stop.split(",")[0]](run)
        sandbox_gone = wait_until(
            lambda: not is_running(sandbox[0]) and not any(is_listening(p) for p in sandbox_ports), 10
        )
        sandbox_s = time.monotonic() - started
        all_gone = wait_until(lambda: not any(is_running(p) for p in [run.proc.pid, *processes]), 20)
        all_s = time.monotonic() - started
        print(
            f"\n{stop}: the sandbox process gone and its 8 ports closed in {sandbox_s:.2f} s;"
            f" make and the launcher too ({len(processes) + 1} processes, none left) in {all_s:.2f} s"
        )
        assert sandbox_gone and sandbox_s < STOP_WITHIN_S, f"{sandbox_s:.2f} s:\n{run.log.read_text()}"
        # With every process of it gone nothing of it listens (a port checked after that may already be
        # another program's: the machine's tests pick free ports too).
        assert all_gone, run.log.read_text()
        assert not (run.data_dir / "sandbox.json").exists()
    finally:
        run.kill()


def test_that_a_busy_port_stops_make_run_before_its_banner_and_before_the_sandbox(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        env = {k: v for k, v in os.environ.items() if not k.startswith("SUPPORT_") and k != "DATABASE_URL"}
        env.update({"DATA_DIR": str(tmp_path), "PORT": str(port), "SUPPORT_ENV": "dev"})
        done = subprocess.run(
            [sys.executable, "-m", "launch.serve"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode == 1
    assert done.stdout == ""
    assert (
        done.stderr == f"cannot listen on 127.0.0.1:{port}: Address already in use; set PORT to a free port\n"
    )
    assert not (tmp_path / "sandbox.json").exists()
