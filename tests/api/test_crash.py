"""kill -9 of the API while a tool call is in flight: nothing is lost, the thread is not poisoned."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.utils.apiproc import ApiProcess
from tests.utils.conversations import ACME, ALICE, new_conversation
from tests.utils.sandbox import Sandbox


@pytest.fixture(params=["sqlite", "postgres"])
def api(request: pytest.FixtureRequest, sandbox: Sandbox, tmp_path: Path) -> Iterator[ApiProcess]:
    url = request.getfixturevalue("postgres_url") if request.param == "postgres" else None
    proc = ApiProcess(tmp_path / "api", url)
    try:
        yield proc.start()
    finally:
        proc.stop()


def _post(url: str, conversation: str, message_id: str, text: str) -> httpx.Response:
    body = {"message_id": message_id, "text": text, "customer": ALICE}
    return httpx.post(f"{url}/v1/conversations/{conversation}/messages", json=body, headers=ACME, timeout=30)


def _commerce_request_seen(sandbox: Sandbox) -> bool:
    return bool(sandbox.admin("commerce", "GET", "requests").json()["requests"])


def test_that_a_kill_9_during_a_tool_call_loses_no_message_and_the_next_turn_works(
    api: ApiProcess, sandbox: Sandbox
) -> None:
    conversation = new_conversation()
    sandbox.admin("commerce", "POST", "mode", {"mode": "slow", "delay_ms": 5000})
    sandbox.admin("commerce", "DELETE", "requests")
    in_flight = threading.Thread(target=lambda: _post_ignoring_errors(api.url, conversation), daemon=True)
    in_flight.start()
    _wait_for(lambda: _commerce_request_seen(sandbox))  # the tool call is now in flight
    api.kill9()
    in_flight.join(timeout=10)
    sandbox.admin("commerce", "POST", "mode", {"mode": "normal"})
    api.start()

    messages = httpx.get(f"{api.url}/v1/conversations/{conversation}", headers=ACME).json()["messages"]
    assert [(m["author"], m["text"]) for m in messages] == [("customer", "where is my order 1001?")]

    retried = _post(api.url, conversation, "m1", "where is my order 1001?")  # the client's retry
    assert retried.status_code == 200
    assert retried.json()["workflows"] == [{"name": "order_status", "status": "resolved"}]
    following = _post(api.url, conversation, "m2", "and my order 1002?")
    assert following.json()["reply"].startswith("Order #1002: payment paid")
    messages = httpx.get(f"{api.url}/v1/conversations/{conversation}", headers=ACME).json()["messages"]
    assert [m["author"] for m in messages] == ["customer", "ai", "customer", "ai"]
    assert messages[0]["text"] == "where is my order 1001?"


def _post_ignoring_errors(url: str, conversation: str) -> None:
    try:
        _post(url, conversation, "m1", "where is my order 1001?")
    except httpx.TransportError:
        pass  # the server died under this request, as the test intends


def _wait_for(condition, deadline_s: float = 10.0) -> None:  # type: ignore[no-untyped-def]
    import time

    deadline = time.monotonic() + deadline_s
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("condition not met in time")
        time.sleep(0.02)
