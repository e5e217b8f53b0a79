"""`make docs-check`: `/docs` rendered by headless Chromium with every other host unreachable.

Starts the API (`uvicorn launch.asgi:app`, SQLite in a temporary folder), loads `/docs` in Debian's
Chromium (`make docs-check` installs it when missing) with every host but 127.0.0.1 resolving to
nothing, and checks that the rendered page lists every operation of `/openapi.json` (Swagger UI's
`opblock-summary-path` elements). Writes a screenshot beside the log; exits 1 on a miss.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
OFFLINE = "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    raise SystemExit("no chromium on PATH: `make docs-check` installs Debian's chromium (apt-get)")


def render(browser: str, url: str, out: Path, *extra: str) -> str:
    command = [
        browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        f"--host-resolver-rules={OFFLINE}", "--virtual-time-budget=15000", "--window-size=1280,2000",
        f"--user-data-dir={out.parent / 'chromium-profile'}", *extra, url,
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    return done.stdout


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="docs-check-"))
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("SUPPORT_") and k != "DATABASE_URL"}
    env.update({"DATA_DIR": str(work), "SUPPORT_ENV": "dev"})
    log = (work / "api.log").open("wb")
    api = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "launch.asgi:app", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or api.poll() is not None:
                print((work / "api.log").read_text(), file=sys.stderr)
                return 1
            time.sleep(0.1)
        paths = sorted(httpx.get(f"{url}/openapi.json").json()["paths"])
        browser = chromium()
        version = subprocess.run([browser, "--version"], capture_output=True, text=True).stdout.strip()
        dom = render(browser, f"{url}/docs", work / "dom.html", "--dump-dom")
        shown = sorted({html.unescape(p).replace("\u200b", "") for p in re.findall(
            r'class="opblock-summary-path"[^>]*data-path="([^"]+)"', dom)})  # fmt: skip
        render(browser, f"{url}/docs", work / "shot.png", f"--screenshot={work / 'docs.png'}")
        print(f"{version}; other hosts unresolvable ({OFFLINE})")
        print(
            f"/docs rendered {len(shown)} of {len(paths)} paths of /openapi.json; screenshot {work / 'docs.png'}"
        )
        for path in paths:
            print(f"  {'ok  ' if path in shown else 'MISS'} {path}")
        title = re.search(r'<h2 class="title">(.*?)<', dom)
        print(f"page title: {title.group(1) if title else '(none)'}")
        return 0 if shown == paths else 1
    finally:
        api.terminate()
        api.wait(timeout=10)
        log.close()


if __name__ == "__main__":
    sys.exit(main())
