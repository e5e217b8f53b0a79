"""`make run` as a user starts it: the real Makefile target, in a session of its own, and the
processes and ports it leaves behind."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from tests.utils.apiproc import ROOT, free_port, is_healthy, wait_until

VENV = Path(sys.prefix)
"""The virtualenv running the tests: `make run` runs from it, and never reinstalls it (`-o`)."""


def descendants(pid: int) -> list[int]:
    """Every live process under `pid`, children first."""
    found: list[int] = []
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except FileNotFoundError:
        return found
    for task in tasks:
        try:
            children = [int(c) for c in (task / "children").read_text().split()]
        except FileNotFoundError:
            continue
        for child in children:
            found += [child, *descendants(child)]
    return found


def is_running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def is_listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


@dataclass
class MakeRun:
    """`make run PORT=<free> DATA_DIR=<data_dir>` with `SUPPORT_ENV=dev` and `env` added."""

    data_dir: Path
    env: dict[str, str]
    port: int = 0
    proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log(self) -> Path:
        return self.data_dir.parent / f"{self.data_dir.name}-make-run.log"

    def command(self) -> list[str]:
        stamp = VENV / ".installed"
        return ["make", "--no-print-directory", "-o", str(stamp), "run", f"VENV={VENV}"]

    def start(self, deadline_s: float = 60.0) -> MakeRun:
        self.port = self.port or free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("SUPPORT_") and k != "DATABASE_URL"}
        env.update({"DATA_DIR": str(self.data_dir), "PORT": str(self.port), **self.env})
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(
                self.command(),
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        if not wait_until(lambda: is_healthy(self.url) or self.proc.poll() is not None, deadline_s):
            raise TimeoutError(f"{self.url} did not become ready:\n{self.log.read_text()}")
        if self.proc.poll() is not None:
            raise RuntimeError(f"make run exited {self.proc.returncode}:\n{self.log.read_text()}")
        return self

    def sandbox_ports(self) -> list[int]:
        """The port of every sandbox server, from the `sandbox.json` they wrote."""
        urls = json.loads((self.data_dir / "sandbox.json").read_text())
        flat = [
            urls["model"],
            urls["commerce"],
            *urls["carriers"].values(),
            urls["aggregator"],
            urls["webhooks"],
        ]
        return [int(url.rsplit(":", 1)[1]) for url in flat]

    def kill(self) -> None:
        """SIGKILL whatever of it is left (a failed test must not leave servers behind)."""
        if self.proc is None:
            return
        for pid in [self.proc.pid, *descendants(self.proc.pid)]:
            if is_running(pid):
                os.kill(pid, signal.SIGKILL)
        self.proc.wait(timeout=10)
