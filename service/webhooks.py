"""Signed webhook events to a brand's endpoint, delivered in the background (docs/webhooks.md).

`notify(svc, brand, conversation_id, kind, data)` is what the turn and event code call when a
conversation starts awaiting a person (`conversation.awaiting_human`) or its customer writes while
a person owns it (`conversation.customer_wrote`). It builds the event, hands it to the service's
`Notifier` and returns: it never raises into the caller and never waits for the brand's endpoint,
so a slow or broken receiver cannot delay a turn or hold its conversation lock.

The `Notifier` POSTs each event with `X-Support-Event-Id`, `X-Support-Timestamp` and
`X-Support-Signature: v1=<hex HMAC-SHA256 of "<timestamp>.<body>">` (`sign`; a receiver checks
with `verify`). A network error, 429 or 5xx is retried with exponential backoff (the same body and
event id every time, a fresh timestamp and signature); any other status ends the event. Every event
ends in one outcome, logged (ids, type, brand, attempts, last status; never the body or the secret)
and counted (`support_webhook_events{brand,type,outcome}`):

    delivered   a 2xx answer
    rejected    a status that is not retried (4xx but 429, 3xx: redirects are not followed)
    failed      `webhook_max_attempts` tries, each a network error, 429 or 5xx
    unsigned    the brand's `webhook.secret_env` is unset outside dev: nothing is sent
    dropped     the service closed before the event was delivered (`webhook_drain_s`)
    invalid     `data` is not JSON: nothing is sent (a bug in the caller, logged with its trace)

The signing secret is read from the variable the brand file names when the event is delivered;
in dev an unset variable falls back to `<brand>-webhook-dev-secret`, like the sandbox credentials.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import os
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Literal

import httpx

from brands import BrandConfig
from config.settings import Settings
from tools import metrics
from tools.http import get_client

if TYPE_CHECKING:
    from service.core import Service

log = logging.getLogger(__name__)

EventKind = Literal["conversation.awaiting_human", "conversation.customer_wrote"]
Outcome = Literal["delivered", "rejected", "failed", "unsigned", "dropped", "invalid"]
Clock = Callable[[], datetime]

SYSTEM = "webhooks"
"""The shared httpx client's name (`tools.http.get_client`)."""
MAX_RETRY_AFTER_S = 60.0
"""A receiver's `Retry-After` is honoured when it asks for more than the backoff, up to this."""
DEFAULT_TOLERANCE_S = 300.0


def dev_secret(brand_id: str) -> str:
    """The signing secret in dev when the brand's `webhook.secret_env` is unset."""
    return f"{brand_id}-webhook-dev-secret"


def sign(secret: str, timestamp: str | int, body: str | bytes) -> str:
    """The `X-Support-Signature` value: `v1=` and the hex HMAC-SHA256 of `<timestamp>.<body>`."""
    raw = body.encode() if isinstance(body, str) else body
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + raw, hashlib.sha256)
    return f"v1={mac.hexdigest()}"


def verify(
    secret: str,
    timestamp: str | int,
    body: str | bytes,
    signature: str,
    tolerance_s: float = DEFAULT_TOLERANCE_S,
    *,
    now: float | None = None,
) -> bool:
    """Tell whether `signature` signs `body` at `timestamp` with `secret`, within `tolerance_s` of now.

    Pass the `X-Support-Timestamp` and `X-Support-Signature` headers as received and the raw body
    bytes (not re-serialised JSON). `now` is unix seconds (default: this machine's clock); a
    timestamp further than `tolerance_s` from it, either way, is refused (a replayed request).
    """
    try:
        sent_at = int(timestamp)
    except ValueError:
        return False
    if abs((time.time() if now is None else now) - sent_at) > tolerance_s:
        return False
    return hmac.compare_digest(sign(secret, timestamp, body), signature)


@dataclass(frozen=True)
class Delivery:
    """One event on its way: where, signed with what, and the body every attempt sends."""

    event_id: str
    kind: EventKind
    brand_id: str
    conversation_id: str
    url: str
    secret_env: str
    body: str


def signed_headers(secret: str, delivery: Delivery, timestamp: int) -> dict[str, str]:
    """The headers of one attempt: the event id, when it was sent and the signature of both."""
    return {
        "Content-Type": "application/json",
        "X-Support-Event-Id": delivery.event_id,
        "X-Support-Timestamp": str(timestamp),
        "X-Support-Signature": sign(secret, timestamp, delivery.body),
    }


@dataclass
class Notifier:
    """The background deliveries of one service: each event a task, kept until it ends."""

    max_attempts: int = 5
    base_delay_s: float = 1.0
    timeout_s: float = 5.0
    drain_s: float = 5.0
    dev: bool = False
    """Whether an unset secret variable falls back to `dev_secret` (else the event is `unsigned`)."""
    _tasks: set[asyncio.Task[None]] = field(default_factory=set, repr=False)
    _closed: bool = False

    @classmethod
    def from_settings(cls, settings: Settings) -> Notifier:
        return cls(
            max_attempts=settings.webhook_max_attempts,
            base_delay_s=settings.webhook_base_delay_s,
            timeout_s=settings.webhook_timeout_s,
            drain_s=settings.webhook_drain_s,
            dev=settings.is_dev,
        )

    @property
    def in_flight(self) -> int:
        """Events scheduled and not yet ended."""
        return len(self._tasks)

    def submit(self, delivery: Delivery, clock: Clock) -> None:
        """Start delivering `delivery` in the background; after `aclose` it is dropped."""
        if self._closed:
            finish(delivery, "dropped", 0, "the service is closing")
            return
        task = asyncio.get_running_loop().create_task(self._deliver(delivery, clock))
        self._tasks.add(task)
        task.add_done_callback(lambda done: self._forget(done, delivery))

    async def drain(self) -> None:
        """Wait until every event scheduled so far has ended (tests; `aclose` bounds the wait)."""
        while self._tasks:
            await asyncio.wait(set(self._tasks))

    async def aclose(self) -> None:
        """Refuse new events, give those in flight `drain_s` to end, then cancel (drop) the rest."""
        self._closed = True
        if not self._tasks:
            return
        _, pending = await asyncio.wait(set(self._tasks), timeout=self.drain_s)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)

    def _forget(self, task: asyncio.Task[None], delivery: Delivery) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            # Nothing awaits these tasks: a bug in delivery would otherwise vanish unlogged.
            log.error("webhook event %s crashed", delivery.event_id, exc_info=task.exception())
            metrics.count_webhook(delivery.brand_id, delivery.kind, "failed")

    async def _deliver(self, delivery: Delivery, clock: Clock) -> None:
        try:
            outcome, attempts, last = await self._attempts(delivery, clock)
        except asyncio.CancelledError:
            finish(delivery, "dropped", 0, "the service closed before it was delivered")
            raise
        finish(delivery, outcome, attempts, last)

    async def _attempts(self, delivery: Delivery, clock: Clock) -> tuple[Outcome, int, str]:
        """POST until an answer ends the event; return the outcome, the tries and the last answer."""
        secret = os.environ.get(delivery.secret_env) or (dev_secret(delivery.brand_id) if self.dev else None)
        if secret is None:
            return "unsigned", 0, f"{delivery.secret_env} is not set"
        client = get_client(SYSTEM)
        for attempt in range(1, self.max_attempts + 1):
            headers = signed_headers(secret, delivery, int(clock().timestamp()))
            retry_after: str | None = None
            try:
                async with client.stream(
                    "POST", delivery.url, content=delivery.body, headers=headers, timeout=self.timeout_s
                ) as response:  # the body is never read: only the status matters
                    status, retry_after = response.status_code, response.headers.get("retry-after")
            except httpx.RequestError as exc:
                status, last, reason = None, type(exc).__name__, "network"
            else:
                if 200 <= status < 300:
                    return "delivered", attempt, str(status)
                if status != 429 and status < 500:
                    return "rejected", attempt, str(status)
                last, reason = str(status), "429" if status == 429 else "5xx"
            if attempt == self.max_attempts:
                return "failed", attempt, last
            metrics.count_webhook_retry(delivery.brand_id, reason)
            log.info("webhook event %s attempt %d: %s; retrying", delivery.event_id, attempt, last)
            await asyncio.sleep(self.delay(attempt, retry_after))
        raise AssertionError("unreachable: the last attempt returns")

    def delay(self, attempt: int, retry_after: str | None) -> float:
        """The wait after failed try `attempt` (1-based): the doubling backoff, or a longer `Retry-After`."""
        backoff = self.base_delay_s * 2 ** (attempt - 1)
        try:
            asked = min(float(retry_after), MAX_RETRY_AFTER_S) if retry_after else 0.0
        except ValueError:  # an HTTP date: not worth parsing for a bounded retry
            asked = 0.0
        return max(backoff, asked)


def finish(delivery: Delivery, outcome: Outcome, attempts: int, last: str) -> None:
    """Log and count how an event ended."""
    level = logging.INFO if outcome == "delivered" else logging.WARNING
    log.log(
        level,
        "webhook event %s (%s, brand %s, conversation %s): %s after %d attempt(s), last %s",
        delivery.event_id, delivery.kind, delivery.brand_id, delivery.conversation_id,
        outcome, attempts, last,
    )  # fmt: skip
    metrics.count_webhook(delivery.brand_id, delivery.kind, outcome)


async def notify(
    svc: Service, brand: BrandConfig, conversation_id: str, kind: EventKind, data: Mapping[str, object]
) -> None:
    """Send `kind` about the conversation to the brand's webhook, if it has one, in the background.

    Returns at once, before any request is made; never raises (every outcome is logged and counted).
    """
    hook = brand.webhook
    if hook is None:
        return
    event_id = f"evt_{uuid.uuid4().hex}"
    try:
        body = json.dumps(
            {
                "id": event_id,
                "type": kind,
                "created_at": svc.clock().astimezone(UTC).isoformat(timespec="milliseconds"),
                "brand_id": brand.brand_id,
                "conversation_id": conversation_id,
                "data": dict(data),
            },
            separators=(",", ":"),
            allow_nan=False,
        )
    except (TypeError, ValueError):
        log.exception(
            "webhook event %s (%s, brand %s): data is not JSON; not sent", event_id, kind, brand.brand_id
        )
        metrics.count_webhook(brand.brand_id, kind, "invalid")
        return
    delivery = Delivery(event_id, kind, brand.brand_id, conversation_id, hook.url, hook.secret_env, body)
    svc.notifier.submit(delivery, svc.clock)
