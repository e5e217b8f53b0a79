"""`make run`: start the sandbox (when no model endpoint is configured) and serve the API.

Prints the demo brands' dev keys and a curl example. The sandbox runs as a child process that
writes `$DATA_DIR/sandbox.json`; it is stopped when the API stops.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path
from types import FrameType

import uvicorn

from config.settings import get_settings

BANNER = """
Support graph on http://{host}:{port}  (env={env}, store={store})
Model: {model}
Demo brands (dev keys, accepted only with SUPPORT_ENV=dev): acme -> acme-dev-key, globex -> globex-dev-key

Try:
  curl -s -X POST http://{host}:{port}/v1/conversations/demo-1/messages \\
    -H 'Authorization: Bearer acme-dev-key' -H 'Content-Type: application/json' \\
    -d '{{"message_id": "m1", "text": "where is my order 1001?", "customer": {{"id": "cus_alice", "email": "alice@example.com"}}}}'
  curl -s http://{host}:{port}/v1/conversations/demo-1 -H 'Authorization: Bearer acme-dev-key'
"""


def start_sandbox(data_dir: Path, timeout: float = 20.0) -> subprocess.Popen[bytes]:
    """Start `python -m sandbox` and wait until it has written its URLs."""
    target = data_dir / "sandbox.json"
    target.unlink(missing_ok=True)
    proc = subprocess.Popen([sys.executable, "-m", "sandbox", "--data-dir", str(data_dir)])
    deadline = time.monotonic() + timeout
    while not target.exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise SystemExit(f"the sandbox did not start (see its output above); {target} missing")
        time.sleep(0.05)
    return proc


def _exit_on_sigterm(signum: int, _frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)


def main() -> None:
    settings = get_settings()
    host, port = settings.host, settings.port
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    sandbox = start_sandbox(settings.data_dir) if settings.is_sandbox else None
    model = settings.model_url() + (" (the sandbox stand-in model)" if sandbox else "")
    store = "postgres" if settings.database_url else f"sqlite at {settings.data_dir / 'support.sqlite'}"
    print(BANNER.format(host=host, port=port, env=settings.env, store=store, model=model), flush=True)
    # uvicorn restores the handler it found and re-raises the stop signal after shutting down: with
    # the default SIGTERM action the process died there and the sandbox outlived it.
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    try:
        uvicorn.run("launch.asgi:app", host=host, port=port, log_level="info")
    finally:
        if sandbox:
            sandbox.terminate()
            sandbox.wait(timeout=10)


if __name__ == "__main__":
    main()
