"""ASGI middleware in front of the commerce API (`/shops/...`): records requests, applies modes.

Every API request is recorded (method, path, query, body, status and an allowlist of headers):
token headers are never recorded, so `/_admin/requests` can be shown and logged freely. Then the
mode decides: `down` answers 503, `flaky` answers 503 every Nth call, `slow` waits before the
handler runs. A lost-answer fault (`AnswerFault`, set per endpoint) lets the handler run, so the write
is applied, and then loses its answer: held back longer than the client waits (`delay`), or cut off
part-way with the connection closed (`drop`), as when a proxy or the network fails after the store
committed. `/_admin/` requests pass straight through, unrecorded and never refused.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sandbox.commerce.store import AnswerFault, CommerceStore

API_PREFIX = "/shops/"
RECORDED_HEADERS = frozenset({"idempotency-key", "x-recharge-version", "content-type"})


async def _read_body(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    """Hand the buffered body to the app once, then defer to the client (for disconnects)."""
    delivered = False

    async def replay() -> Message:
        nonlocal delivered
        if delivered:
            return await receive()
        delivered = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay


def _decoded_body(body: bytes) -> Any:
    if not body:
        return None
    try:
        return json.loads(body)
    except ValueError:
        return body.decode("utf-8", errors="replace")


def _record(scope: Scope, body: bytes) -> dict[str, Any]:
    headers = {name.decode("latin-1").lower(): value.decode("latin-1") for name, value in scope["headers"]}
    return {
        "method": scope["method"],
        "path": scope["path"],
        "query": dict(parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True)),
        "headers": {name: value for name, value in headers.items() if name in RECORDED_HEADERS},
        "body": _decoded_body(body),
        "status": None,
    }


async def _send_unavailable(send: Send, reason: str) -> None:
    payload = json.dumps({"errors": reason}).encode()
    headers = [(b"content-type", b"application/json; charset=utf-8"), (b"retry-after", b"1")]
    await send({"type": "http.response.start", "status": 503, "headers": headers})
    await send({"type": "http.response.body", "body": payload})


async def _lose_answer(fault: AnswerFault, answer: list[Message], send: Send) -> None:
    """Send the handler's `answer` as `fault` loses it: late, or cut off with the connection closed."""
    if fault.answer == "delay":
        await asyncio.sleep(fault.delay_ms / 1000)
        for message in answer:
            await send(message)  # the client has given up by now; the bytes go nowhere
        return
    start = next(m for m in answer if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in answer if m["type"] == "http.response.body")
    headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"connection"]
    await send({**start, "headers": [*headers, (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body[: len(body) // 2], "more_body": False})


class ApiGate:
    """Record every API request, then answer per the store's mode or pass it on."""

    def __init__(self, app: ASGIApp, store: CommerceStore) -> None:
        self.app = app
        self.store = store

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(API_PREFIX):
            await self.app(scope, receive, send)
            return
        body = await _read_body(receive)
        entry = _record(scope, body)
        self.store.requests.append(entry)

        async def send_and_note_status(message: Message) -> None:
            if message["type"] == "http.response.start":
                entry["status"] = message["status"]
            await send(message)

        reason = self.store.refusal()
        if reason is not None:
            await _send_unavailable(send_and_note_status, reason)
            return
        delay = self.store.delay_seconds()
        if delay:
            await asyncio.sleep(delay)
        fault = self.store.fault_for(scope["method"], scope["path"], body.decode("utf-8", errors="replace"))
        if fault is None:
            await self.app(scope, _replay(body, receive), send_and_note_status)
            return
        entry["fault"] = fault.answer
        if fault.answer == "unavailable":  # refused in front of the store: nothing applied
            await _send_unavailable(send_and_note_status, "Service Unavailable")
            return
        answer: list[Message] = []

        async def keep(message: Message) -> None:
            answer.append(message)

        await self.app(scope, _replay(body, receive), keep)
        await _lose_answer(fault, answer, send_and_note_status)
