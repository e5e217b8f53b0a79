"""`WORKERS=N make run` (`python -m launch.serve`): N processes on PostgreSQL, refused on SQLite, and
`/metrics` adds up every worker's series whichever worker answers."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.utils.apiproc import ROOT, free_port, is_healthy, wait_until
from tests.utils.conversations import ACME, ALICE, METRICS, METRICS_TOKEN, new_conversation
from tests.utils.sandbox import Sandbox

pytestmark = pytest.mark.slow


def _serve(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "launch.serve"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )


def test_that_workers_above_one_on_sqlite_are_refused_with_the_reason(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SUPPORT_") and k != "DATABASE_URL"}
    env.update({"DATA_DIR": str(tmp_path), "PORT": str(free_port()), "WORKERS": "2", "SUPPORT_ENV": "dev"})
    serve = _serve(env, tmp_path / "serve.log")
    assert serve.wait(timeout=30) != 0
    said = (tmp_path / "serve.log").read_text()
    assert "WORKERS=2 needs PostgreSQL" in said and "DATABASE_URL" in said
    assert not (tmp_path / "sandbox.json").exists()  # refused before anything started


@pytest.fixture
def two_workers(sandbox: Sandbox, postgres_url: str, tmp_path: Path) -> Iterator[str]:
    port = free_port()
    env = {**os.environ, "DATABASE_URL": postgres_url, "DATA_DIR": str(tmp_path)}
    env.update(
        {"PORT": str(port), "WORKERS": "2", "SUPPORT_ENV": "dev", "SUPPORT_METRICS_TOKEN": METRICS_TOKEN}
    )
    serve = _serve(env, tmp_path / "serve.log")
    url = f"http://127.0.0.1:{port}"
    try:
        assert wait_until(lambda: is_healthy(url), 60), (tmp_path / "serve.log").read_text()
        yield url
    finally:
        serve.send_signal(signal.SIGTERM)
        try:
            serve.wait(timeout=20)
        except subprocess.TimeoutExpired:
            serve.kill()


def _turn(url: str) -> None:
    body = {"message_id": "m1", "text": "where is my order 1001?", "customer": ALICE}
    # A new connection each time: each is accepted by whichever worker wins it.
    response = httpx.post(
        f"{url}/v1/conversations/{new_conversation()}/messages", json=body, headers=ACME, timeout=30
    )
    assert response.status_code == 200, response.text


def _workers_with_series(folder: Path) -> set[str]:
    return {path.stem.rsplit("_", 1)[1] for path in folder.glob("histogram_*.db")}


def _turns_counted(url: str) -> float:
    text = httpx.get(f"{url}/metrics", headers=METRICS, timeout=10).text
    return sum(
        sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == "support_turn_seconds_count" and sample.labels.get("brand") == "acme"
    )


def test_that_metrics_add_up_every_worker(two_workers: str, tmp_path: Path) -> None:
    folder = next(tmp_path.glob("metrics-*"))
    sent = 0
    while len(_workers_with_series(folder)) < 2 and sent < 40:
        _turn(two_workers)
        sent += 1
    assert len(_workers_with_series(folder)) == 2, "every turn went to one worker"
    # Whichever worker answers the scrape (a new connection each), it reports the turns of both.
    assert [_turns_counted(two_workers) for _ in range(6)] == [sent] * 6
