"""`make run`: start the sandbox (when no model endpoint is configured) and serve the API.

Serves the brands of `Settings.brands()` (`SUPPORT_BRANDS_DIR`, else `brands/`) and prints their dev
keys, and a curl example when acme is among them. The sandbox runs as a child process for the same
brand files; it writes `$DATA_DIR/sandbox.json` and is stopped when the API stops. A brand file that
does not load stops `make run` before anything starts.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from types import FrameType

import uvicorn

from brands import BRANDS_DIR, BrandConfig, BrandConfigError
from config.settings import Settings, get_settings

BANNER = """
Support graph on http://{host}:{port}  (env={env}, store={store})
Model: {model}
Brands from {folder} (dev keys, accepted only with SUPPORT_ENV=dev): {keys}
"""
EXAMPLE = """
Try:
  curl -s -X POST http://{host}:{port}/v1/conversations/demo-1/messages \\
    -H 'Authorization: Bearer acme-dev-key' -H 'Content-Type: application/json' \\
    -d '{{"message_id": "m1", "text": "where is my order 1001?", "customer": {{"id": "cus_alice", "email": "alice@example.com"}}}}'
  curl -s http://{host}:{port}/v1/conversations/demo-1 -H 'Authorization: Bearer acme-dev-key'
"""


def start_sandbox(data_dir: Path, brands_dir: Path | None, timeout: float = 20.0) -> subprocess.Popen[bytes]:
    """Start `python -m sandbox` for the brand files in `brands_dir` (None: `brands/`) and wait until
    it has written its URLs."""
    target = data_dir / "sandbox.json"
    target.unlink(missing_ok=True)
    command = [sys.executable, "-m", "sandbox", "--data-dir", str(data_dir)]
    proc = subprocess.Popen([*command, "--brands-dir", str(brands_dir or BRANDS_DIR)])
    deadline = time.monotonic() + timeout
    while not target.exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise SystemExit(f"the sandbox did not start (see its output above); {target} missing")
        time.sleep(0.05)
    return proc


def served_brands(settings: Settings) -> Mapping[str, BrandConfig]:
    """The brands `settings` serve; a brand file that does not load stops the launcher with its reason."""
    try:
        return settings.brands()
    except BrandConfigError as exc:
        raise SystemExit(f"brand files: {exc}") from None


def banner(settings: Settings, brands: Mapping[str, BrandConfig], model: str) -> str:
    """What `make run` prints first: where it listens, the model, each brand's dev keys, an example."""
    keys = ", ".join(f"{b.brand_id} -> {' '.join(b.dev_api_keys) or '(none)'}" for b in brands.values())
    store = "postgres" if settings.database_url else f"sqlite at {settings.data_dir / 'support.sqlite'}"
    folder = settings.brands_dir or BRANDS_DIR
    text = BANNER.format(
        host=settings.host,
        port=settings.port,
        env=settings.env,
        store=store,
        model=model,
        folder=folder,
        keys=keys,
    )
    return text + (EXAMPLE.format(host=settings.host, port=settings.port) if "acme" in brands else "")


def _exit_on_sigterm(signum: int, _frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)


def main() -> None:
    settings = get_settings()
    host, port = settings.host, settings.port
    brands = served_brands(settings)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    sandbox = start_sandbox(settings.data_dir, settings.brands_dir) if settings.is_sandbox else None
    model = settings.model_url() + (" (the sandbox stand-in model)" if sandbox else "")
    print(banner(settings, brands, model), flush=True)
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
