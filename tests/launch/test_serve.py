"""`make run` (`python -m launch.serve`) as a user stops it: the sandbox it started stops with it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.utils.apiproc import ROOT, free_port, is_healthy, wait_until

pytestmark = pytest.mark.slow


def children(pid: int) -> list[int]:
    tasks = Path(f"/proc/{pid}/task")
    return [int(c) for task in tasks.iterdir() for c in (task / "children").read_text().split()]


def is_running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_that_stopping_the_service_stops_the_sandbox_it_started(tmp_path: Path, stop: signal.Signals) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SUPPORT_") and k != "DATABASE_URL"}
    env.update({"DATA_DIR": str(tmp_path), "PORT": str(port), "SUPPORT_ENV": "dev"})
    log = (tmp_path / "serve.log").open("wb")
    serve = subprocess.Popen(
        [sys.executable, "-m", "launch.serve"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    started: list[int] = []
    try:
        assert wait_until(lambda: is_healthy(f"http://127.0.0.1:{port}"), 30), (
            tmp_path / "serve.log"
        ).read_text()
        started = children(serve.pid)
        assert len(started) == 1  # the sandbox
        serve.send_signal(stop)
        serve.wait(timeout=15)
        assert wait_until(lambda: not is_running(started[0]), 10)
    finally:
        for pid in [serve.pid, *started]:
            if is_running(pid):
                os.kill(pid, signal.SIGKILL)
        log.close()
