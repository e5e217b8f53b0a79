"""Webhook events (`service.webhooks`) against the real sandbox receiver over HTTP; nothing patched.

The service runs on SQLite only: delivery touches no persistence, so PostgreSQL would prove nothing
more here. The receiver records every POST as it arrived (headers, raw body, status), so each test
reads what a brand's endpoint would have seen.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import re
import socket
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from itertools import pairwise
from pathlib import Path

import pytest

from brands import BRANDS_DIR, BrandConfig, WebhookConfig, default_brands, load_brand_file
from config.settings import Settings
from service.core import Service, open_service
from service.webhooks import notify, verify
from tests.utils.clock import Clock
from tests.utils.sandbox import Sandbox
from tools import metrics

DOCS = Path(__file__).resolve().parents[2] / "docs" / "webhooks.md"
SECRET = "whsec_acme_test_secret"
NOW = datetime(2026, 11, 14, 10, 0, 0, 250_000, tzinfo=UTC)
BASE_DELAY_S = 0.05
DATA = {"reason": "customer_asked", "unresolved": ["returns_refunds"]}


@pytest.fixture(autouse=True)
def _fresh(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACME_WEBHOOK_SECRET", SECRET)
    metrics.reset()


@pytest.fixture
async def svc(sandbox: Sandbox, tmp_path: Path) -> AsyncIterator[Service]:
    settings = Settings(env="dev", database_url=None, data_dir=tmp_path, webhook_base_delay_s=BASE_DELAY_S)
    async with open_service(settings) as service:
        service.clock = Clock(NOW)
        yield service


def acme_posting_to(url: str) -> BrandConfig:
    hook = WebhookConfig(url=url, secret_env="ACME_WEBHOOK_SECRET")
    return default_brands()["acme"].model_copy(update={"webhook": hook})


@pytest.fixture
def acme(sandbox: Sandbox) -> BrandConfig:
    return acme_posting_to(f"{sandbox.webhooks}/acme")


async def delivered(svc: Service) -> None:
    await asyncio.wait_for(svc.notifier.drain(), timeout=15)


def outcomes(kind: str = "conversation.awaiting_human") -> dict[str, float]:
    found = {}
    for outcome in ("delivered", "rejected", "failed", "unsigned", "dropped", "invalid"):
        labels = {"brand": "acme", "type": kind, "outcome": outcome}
        value = metrics.REGISTRY.get_sample_value("support_webhook_events_total", labels)
        if value:
            found[outcome] = value
    return found


def retries(reason: str) -> float:
    labels = {"brand": "acme", "reason": reason}
    return metrics.REGISTRY.get_sample_value("support_webhook_retries_total", labels) or 0.0


async def test_that_the_event_is_signed_with_the_brands_secret_and_nothing_else_verifies(
    svc: Service, acme: BrandConfig, sandbox: Sandbox
) -> None:
    await notify(svc, acme, "conv-7", "conversation.awaiting_human", DATA)
    await delivered(svc)
    [post] = sandbox.webhook_requests("/acme")
    headers, body, timestamp = post["headers"], post["body"], post["headers"]["x-support-timestamp"]
    event = json.loads(body)
    assert (timestamp, post["status"], headers["content-type"]) == (
        str(int(NOW.timestamp())),
        200,
        "application/json",
    )
    assert event == {
        "id": headers["x-support-event-id"],
        "type": "conversation.awaiting_human",
        "created_at": "2026-11-14T10:00:00.250+00:00",
        "brand_id": "acme",
        "conversation_id": "conv-7",
        "data": DATA,
    }
    signature = headers["x-support-signature"]
    by_hand = hmac.new(SECRET.encode(), f"{timestamp}.{body}".encode(), hashlib.sha256).hexdigest()
    assert signature == f"v1={by_hand}"  # the scheme docs/webhooks.md gives receivers
    now = NOW.timestamp()
    assert verify(SECRET, timestamp, body.encode(), signature, 300, now=now)
    assert not verify("another-secret", timestamp, body.encode(), signature, 300, now=now)
    assert not verify(SECRET, timestamp, body.replace("conv-7", "conv-8"), signature, 300, now=now)
    assert not verify(SECRET, str(int(timestamp) + 1), body, signature, 300, now=now)
    assert not verify(SECRET, timestamp, body, signature, 300, now=now + 301)  # stale: a replay
    assert verify(SECRET, timestamp, body, signature, 300, now=now + 299)
    assert outcomes() == {"delivered": 1}


async def test_that_the_receivers_check_in_the_docs_verifies_a_delivered_event(
    svc: Service, acme: BrandConfig, sandbox: Sandbox
) -> None:
    svc.clock = lambda: datetime.now(UTC)  # the docs' check compares with this machine's clock
    await notify(svc, acme, "conv-7", "conversation.awaiting_human", DATA)
    await delivered(svc)
    [post] = sandbox.webhook_requests("/acme")
    found = re.search(r"```python\n(.*?)```", DOCS.read_text(encoding="utf-8"), flags=re.S)
    assert found is not None
    namespace: dict[str, object] = {}
    exec(found.group(1), namespace)  # the snippet a receiver copies, run as written
    check = namespace["verify"]
    assert callable(check)
    ts, sig, body = (
        post["headers"]["x-support-timestamp"],
        post["headers"]["x-support-signature"],
        post["body"],
    )
    assert (check(SECRET, ts, body.encode(), sig), check("another-secret", ts, body.encode(), sig)) == (
        True,
        False,
    )


async def test_that_in_dev_an_unset_secret_variable_signs_with_the_brands_dev_secret(
    svc: Service, acme: BrandConfig, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ACME_WEBHOOK_SECRET")
    await notify(svc, acme, "conv-7", "conversation.customer_wrote", {"text": "still there?"})
    await delivered(svc)
    [post] = sandbox.webhook_requests("/acme")
    headers = post["headers"]
    args = (headers["x-support-timestamp"], post["body"], headers["x-support-signature"], 300)
    assert verify("acme-webhook-dev-secret", *args, now=NOW.timestamp())
    assert not verify(SECRET, *args, now=NOW.timestamp())


@pytest.mark.parametrize(("mode", "status", "reason"), [("down", 503, "5xx"), ("server_error", 500, "5xx"),
                                                        ("rate_limited", 429, "429")])  # fmt: skip
async def test_that_after_two_failures_the_event_is_delivered_once_with_the_same_event_id(
    svc: Service, acme: BrandConfig, sandbox: Sandbox, mode: str, status: int, reason: str
) -> None:
    sandbox.admin("webhooks", "POST", "mode", {"mode": mode, "times": 2})
    await notify(svc, acme, "conv-7", "conversation.awaiting_human", DATA)
    await delivered(svc)
    posts = sandbox.webhook_requests("/acme")
    assert [p["status"] for p in posts] == [status, status, 200]
    assert len({p["headers"]["x-support-event-id"] for p in posts}) == 1
    assert len({p["body"] for p in posts}) == 1
    assert json.loads(posts[0]["body"])["id"] == posts[0]["headers"]["x-support-event-id"]
    gaps = [later["received_at"] - earlier["received_at"] for earlier, later in pairwise(posts)]
    assert gaps[0] >= BASE_DELAY_S * 0.9 and gaps[1] >= 2 * BASE_DELAY_S * 0.9  # exponential backoff
    assert (outcomes(), retries(reason)) == ({"delivered": 1}, 2)


async def test_that_a_retry_after_longer_than_the_backoff_is_honoured(
    svc: Service, acme: BrandConfig, sandbox: Sandbox
) -> None:
    sandbox.admin("webhooks", "POST", "mode", {"mode": "rate_limited", "times": 1, "retry_after": 1})
    await notify(svc, acme, "conv-7", "conversation.awaiting_human", DATA)
    await delivered(svc)
    first, second = sandbox.webhook_requests("/acme")
    assert ((first["status"], second["status"]), second["received_at"] - first["received_at"] >= 0.95) == (
        (429, 200),
        True,
    )


async def test_that_a_400_is_not_retried(svc: Service, acme: BrandConfig, sandbox: Sandbox) -> None:
    sandbox.admin("webhooks", "POST", "mode", {"mode": "bad_request"})
    await notify(svc, acme, "conv-7", "conversation.awaiting_human", DATA)
    await delivered(svc)
    assert [p["status"] for p in sandbox.webhook_requests("/acme")] == [400]
    assert (outcomes(), retries("5xx") + retries("429") + retries("network")) == ({"rejected": 1}, 0)


async def test_that_a_receiver_that_stays_down_gets_the_bounded_attempts_and_no_more(
    svc: Service, acme: BrandConfig, sandbox: Sandbox
) -> None:
    sandbox.admin("webhooks", "POST", "mode", {"mode": "down"})
    await notify(svc, acme, "conv-7", "conversation.awaiting_human", DATA)
    await delivered(svc)
    assert [p["status"] for p in sandbox.webhook_requests("/acme")] == [503] * 5
    assert (outcomes(), retries("5xx")) == ({"failed": 1}, 4)


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def test_that_notify_never_raises_when_the_receiver_is_unreachable(svc: Service) -> None:
    acme = acme_posting_to(f"http://127.0.0.1:{closed_port()}/acme")
    assert await notify(svc, acme, "conv-7", "conversation.awaiting_human", DATA) is None
    await delivered(svc)
    assert (outcomes(), retries("network")) == ({"failed": 1}, 4)


async def test_that_notify_returns_before_the_post_completes(
    svc: Service, acme: BrandConfig, sandbox: Sandbox
) -> None:
    sandbox.admin("webhooks", "POST", "mode", {"mode": "slow", "delay_ms": 1500})
    started = time.monotonic()
    await notify(svc, acme, "conv-7", "conversation.awaiting_human", DATA)
    returned_after = time.monotonic() - started
    assert (returned_after < 0.5, svc.notifier.in_flight, outcomes()) == (True, 1, {})
    await delivered(svc)
    assert ([p["status"] for p in sandbox.webhook_requests("/acme")], outcomes()) == ([200], {"delivered": 1})
    assert time.monotonic() - started >= 1.5


async def test_that_closing_the_service_drops_what_it_cannot_deliver_in_time(
    sandbox: Sandbox, acme: BrandConfig, tmp_path: Path
) -> None:
    sandbox.admin("webhooks", "POST", "mode", {"mode": "slow", "delay_ms": 2000})
    settings = Settings(env="dev", database_url=None, data_dir=tmp_path, webhook_drain_s=0.2)
    started = time.monotonic()
    async with open_service(settings) as service:
        await notify(service, acme, "conv-7", "conversation.awaiting_human", DATA)
        await asyncio.sleep(0.1)  # let the POST reach the receiver
    assert (time.monotonic() - started < 1.5, service.notifier.in_flight, outcomes()) == (
        True,
        0,
        {"dropped": 1},
    )
    await notify(service, acme, "conv-8", "conversation.awaiting_human", DATA)  # after close: dropped too
    assert outcomes() == {"dropped": 2}


async def test_that_outside_dev_an_unset_secret_variable_sends_nothing(
    sandbox: Sandbox, acme: BrandConfig, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ACME_WEBHOOK_SECRET")
    for path in BRANDS_DIR.glob("*.yaml"):  # a prod start needs every credential its brands name
        for name in load_brand_file(path).credential_variables().values():
            if name != "ACME_WEBHOOK_SECRET":
                monkeypatch.setenv(name, "set")
    settings = Settings(env="prod", database_url=None, data_dir=tmp_path, brands_dir=BRANDS_DIR)
    async with open_service(settings) as service:
        await notify(service, acme, "conv-7", "conversation.awaiting_human", DATA)
        await delivered(service)
    assert (sandbox.webhook_requests("/acme"), outcomes()) == ([], {"unsigned": 1})


async def test_that_data_that_is_not_json_is_counted_and_never_sent(
    svc: Service, acme: BrandConfig, sandbox: Sandbox
) -> None:
    await notify(svc, acme, "conv-7", "conversation.awaiting_human", {"since": datetime.now(UTC)})
    await delivered(svc)
    assert (sandbox.webhook_requests("/acme"), outcomes()) == ([], {"invalid": 1})


async def test_that_a_brand_without_a_webhook_sends_nothing(svc: Service, sandbox: Sandbox) -> None:
    await notify(svc, default_brands()["acme"], "conv-7", "conversation.awaiting_human", DATA)
    assert (svc.notifier.in_flight, sandbox.admin("webhooks", "GET", "requests").json()) == (
        0,
        {"requests": []},
    )
