"""A worker lost while it holds a conversation's lease loses no turn and doubles none: the client's
retry of the same message_id on another worker completes it. Killed (kill -9), its connection closes
and the lease is dead at once; frozen (SIGSTOP, its connections open), the lease expires."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import psycopg
import pytest

from brands import BRANDS_DIR
from tests.utils.apiproc import ApiProcess, wait_until
from tests.utils.conversations import ACME, ALICE, new_conversation
from tests.utils.sandbox import Sandbox

DEADLINE_S = 5
WRITE_BACK_S = 2
TTL_S = DEADLINE_S + WRITE_BACK_S
"""The lease's time to live: the largest brand turn deadline plus the write-back."""


def _short_deadline_brands(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for path in BRANDS_DIR.glob("*.yaml"):
        text = path.read_text(encoding="utf-8") + f"\nturn_deadline_s: {DEADLINE_S}\n"
        (folder / path.name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def two_workers(sandbox: Sandbox, postgres_url: str, tmp_path: Path) -> Iterator[list[ApiProcess]]:
    env = {
        "SUPPORT_BRANDS_DIR": str(_short_deadline_brands(tmp_path / "brands")),
        "SUPPORT_LEASE_WRITE_BACK_S": str(WRITE_BACK_S),
    }
    workers = [ApiProcess(tmp_path / name, postgres_url, env=env) for name in ("a", "b")]
    try:
        for worker in workers:
            worker.start()
        yield workers
    finally:
        for worker in workers:
            worker.stop()


def _post(url: str, conversation: str, message_id: str, text: str) -> httpx.Response:
    body = {"message_id": message_id, "text": text, "customer": ALICE}
    return httpx.post(f"{url}/v1/conversations/{conversation}/messages", json=body, headers=ACME, timeout=60)


def _leases(postgres_url: str, conversation: str) -> int:
    with psycopg.connect(postgres_url) as conn:
        row = conn.execute(
            "SELECT count(*) FROM thread_leases WHERE thread_id = %s", (f"acme:{conversation}",)
        ).fetchone()
    return row[0] if row else 0


def _post_ignoring_errors(url: str, conversation: str) -> None:
    try:
        _post(url, conversation, "m1", "where is my order 1001?")
    except httpx.TransportError:
        pass  # the worker died under this request, as the test intends


@pytest.mark.parametrize("loss", ["killed", "frozen"])
def test_that_a_worker_lost_holding_a_lease_loses_no_turn_and_its_retry_completes(
    two_workers: list[ApiProcess], sandbox: Sandbox, postgres_url: str, loss: str
) -> None:
    doomed, survivor = two_workers
    conversation = new_conversation()
    sandbox.admin("model", "POST", "mode", {"mode": "slow", "delay_ms": 60_000})
    in_flight = threading.Thread(target=_post_ignoring_errors, args=(doomed.url, conversation), daemon=True)
    in_flight.start()
    assert wait_until(lambda: bool(sandbox.model_requests()), 10), "the turn never reached the model"
    if loss == "killed":
        doomed.kill9()  # mid-turn, holding the conversation's lease
        in_flight.join(timeout=10)
    else:
        doomed.freeze()  # mid-turn, holding the lease and its database connections
    killed = time.monotonic()
    sandbox.admin("model", "POST", "mode", {"mode": "normal"})
    assert _leases(postgres_url, conversation) == 1  # the lost worker's row is still there

    retried = _post(survivor.url, conversation, "m1", "where is my order 1001?")  # the client's retry
    waited = time.monotonic() - killed
    print(
        f"{loss}: retry answered {waited:.1f} s after (lease ttl {TTL_S} s, renewed every {TTL_S / 3:.1f} s)"
    )
    if loss == "frozen":
        doomed.kill9()  # never let the frozen worker resume its turn
    assert retried.status_code == 200, retried.text
    assert retried.json()["workflows"] == [{"name": "order_status", "status": "resolved"}]
    if loss == "killed":  # its connection closed with it: the lease is dead at once, no expiry awaited
        assert waited < TTL_S * 2 / 3 - 0.5
    else:  # not run while the frozen worker's lease lived (renewed at most a third of its life before)
        assert TTL_S * 2 / 3 - 0.5 <= waited <= TTL_S + 10
    assert _leases(postgres_url, conversation) == 0

    again = _post(survivor.url, conversation, "m1", "where is my order 1001?")
    assert again.json() == retried.json()  # replayed, not run a second time
    following = _post(survivor.url, conversation, "m2", "and my order 1002?")
    assert following.json()["reply"].startswith("Order #1002: payment paid")
    log = httpx.get(f"{survivor.url}/v1/conversations/{conversation}", headers=ACME).json()["messages"]
    asked = [m["text"] for m in log if m["author"] == "customer"]
    assert asked == ["where is my order 1001?", "and my order 1002?"]
    assert [m["author"] for m in log] == ["customer", "ai", "customer", "ai"]
