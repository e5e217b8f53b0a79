"""The sandbox webhook receiver over real HTTP: what it records, per path, and how its modes fail."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from sandbox.serve import ServerThread
from sandbox.webhooks import create_app


@pytest.fixture(scope="module")
def receiver() -> Iterator[str]:
    with ServerThread(create_app()) as server:
        yield server.url


@pytest.fixture(autouse=True)
def _reset(receiver: str) -> None:
    httpx.post(f"{receiver}/_admin/reset").raise_for_status()


def recorded(receiver: str, path: str | None = None) -> list[dict]:
    params = {"path": path} if path else None
    return httpx.get(f"{receiver}/_admin/requests", params=params).json()["requests"]


def test_that_every_post_is_recorded_per_path_with_its_headers_and_raw_body(receiver: str) -> None:
    body = b'{"id":"evt_1","data":{"text":"caf\\u00e9"}}'
    headers = {
        "X-Sig": "v1=abc",
        "Authorization": "Bearer never-recorded",
        "Content-Type": "application/json",
    }
    answers = [
        httpx.post(f"{receiver}/acme", content=body, headers=headers).status_code,
        httpx.post(f"{receiver}/globex/hooks", content=b"{}").status_code,
    ]
    acme = recorded(receiver, "/acme")
    assert (answers, len(recorded(receiver)), len(acme)) == ([200, 200], 2, 1)
    assert (acme[0]["body"], acme[0]["status"], acme[0]["headers"]["x-sig"]) == (body.decode(), 200, "v1=abc")
    assert "authorization" not in acme[0]["headers"]
    assert [r["path"] for r in recorded(receiver, "/globex/hooks")] == ["/globex/hooks"]


def test_that_a_failing_mode_with_times_fails_only_the_next_n_posts(receiver: str) -> None:
    mode = {"mode": "down", "times": 2, "retry_after": 3}
    httpx.post(f"{receiver}/_admin/mode", json=mode).raise_for_status()
    answers = [httpx.post(f"{receiver}/acme", content=b"{}") for _ in range(3)]
    assert [(a.status_code, a.headers.get("retry-after")) for a in answers] == [
        (503, "3"),
        (503, "3"),
        (200, None),
    ]
    assert [r["status"] for r in recorded(receiver, "/acme")] == [503, 503, 200]


@pytest.mark.parametrize(
    ("mode", "status"), [("bad_request", 400), ("rate_limited", 429), ("server_error", 500)]
)
def test_that_each_failing_mode_answers_its_status(receiver: str, mode: str, status: int) -> None:
    httpx.post(f"{receiver}/_admin/mode", json={"mode": mode}).raise_for_status()
    assert httpx.post(f"{receiver}/acme", content=b"{}").status_code == status
    assert httpx.get(f"{receiver}/_admin/mode").json()["mode"] == mode  # admin is never refused


def test_that_admin_calls_are_never_recorded_and_reset_forgets_everything(receiver: str) -> None:
    httpx.post(f"{receiver}/acme", content=b"{}")
    httpx.post(f"{receiver}/_admin/mode", json={"mode": "down"})
    assert httpx.post(f"{receiver}/_admin/nothing-here", content=b"{}").status_code == 404
    assert [r["path"] for r in recorded(receiver)] == ["/acme"]
    httpx.post(f"{receiver}/_admin/reset").raise_for_status()
    assert (recorded(receiver), httpx.get(f"{receiver}/_admin/mode").json()["mode"]) == ([], "normal")
