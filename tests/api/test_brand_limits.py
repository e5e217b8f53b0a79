"""Limits per brand over HTTP: 429 with Retry-After and a reason, and a noisy neighbour that cannot
starve another brand (the API as a real process, SQLite, the sandbox servers)."""

from __future__ import annotations

import asyncio
import json
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from brands import BRANDS_DIR
from tests.utils.apiproc import ROOT, ApiProcess
from tests.utils.conversations import ACME, ALICE, BOB, GLOBEX, new_conversation
from tests.utils.sandbox import Sandbox

ACME_LIMITS = "limits: {turns_per_second: 2, burst: 2, concurrent_turns: 1}\n"
"""acme's limits in this test; globex keeps the defaults."""
SAMPLES = 12
"""Globex turns measured unloaded, then again during acme's burst."""
SENDERS = 32
"""acme's clients bursting at once, from a process of their own (`tests/utils/burst.py`)."""
FACTOR = 3.0
"""Generous: the machine is shared, and acme's one admitted turn still shares the cores."""


@pytest.fixture
def api(sandbox: Sandbox, tmp_path: Path) -> Iterator[str]:
    brands = tmp_path / "brands"
    brands.mkdir()
    for name in ("acme.yaml", "globex.yaml"):
        shutil.copy(BRANDS_DIR / name, brands / name)
    with (brands / "acme.yaml").open("a", encoding="utf-8") as f:
        f.write(ACME_LIMITS)
    proc = ApiProcess(tmp_path / "data", None, env={"SUPPORT_BRANDS_DIR": str(brands)}).start()
    try:
        yield proc.url
    finally:
        proc.stop()


async def turn(
    client: httpx.AsyncClient, url: str, headers: dict, text: str, customer: dict
) -> httpx.Response:
    body = {"message_id": "m1", "text": text, "customer": customer}
    return await client.post(
        f"{url}/v1/conversations/{new_conversation()}/messages", json=body, headers=headers
    )


async def globex_latencies(client: httpx.AsyncClient, url: str) -> list[float]:
    seconds = []
    for _ in range(SAMPLES):
        started = time.perf_counter()
        response = await turn(client, url, GLOBEX, "where is my order 2001?", BOB)
        seconds.append(time.perf_counter() - started)
        assert response.status_code == 200, response.text
    return seconds


def start_burst(url: str, stop: Path) -> subprocess.Popen[str]:
    cmd = [sys.executable, "-m", "tests.utils.burst", url, "acme-dev-key", str(SENDERS), str(stop)]
    return subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, text=True)


async def measure(url: str, stop: Path) -> tuple[list[float], list[float], dict]:
    async with httpx.AsyncClient(timeout=60) as client:
        for headers, text, customer in ((ACME, "where is my order 1001?", ALICE), (GLOBEX, "hi", BOB)):
            assert (await turn(client, url, headers, text, customer)).status_code == 200  # warm up
        unloaded = await globex_latencies(client, url)
        burst = start_burst(url, stop)
        try:
            await asyncio.sleep(1.0)  # the burst is under way
            loaded = await globex_latencies(client, url)
        finally:
            stop.touch()
            out, _ = burst.communicate(timeout=120)
    return unloaded, loaded, json.loads(out)


def test_that_one_brands_burst_leaves_another_brands_latency_within_its_unloaded_figure(
    api: str, tmp_path: Path
) -> None:
    unloaded, loaded, acme = asyncio.run(measure(api, tmp_path / "stop"))
    p50_unloaded, p50_loaded = statistics.median(unloaded), statistics.median(loaded)
    print(
        f"\nglobex p50 unloaded {p50_unloaded * 1000:.0f} ms, during acme's burst {p50_loaded * 1000:.0f} ms "
        f"({p50_loaded / p50_unloaded:.2f}x, limit {FACTOR}x); acme's burst ({SENDERS} clients): {acme}"
    )
    assert set(acme["statuses"]) == {"200", "429"}
    assert all(int(seconds) >= 1 for seconds in acme["retry_after"])
    assert set(acme["reasons"]) <= {
        "brand 'acme' has 1 turns in flight, its limit; try again shortly",
        "brand 'acme' is over its limit of 2 turns a second",
    }
    assert p50_loaded <= FACTOR * p50_unloaded
