"""What a request may weigh before the app reads it: the header cap (431) and the body cap (413, 422).

Both are plain ASGI middlewares (`@app.middleware("http")` ran every request through an extra task
and memory streams, about 0.35 ms a request). The body cap counts the bytes as they are received,
whatever the framing (`Content-Length` or chunked): it stops reading at the cap and answers 413 at
once, closing the connection, so a body is never read (or echoed) past the cap. A body under the
cap is buffered, and a JSON body nested deeper than `MAX_JSON_DEPTH` or with more than
`MAX_JSON_MEMBERS` members is refused before anything parses it: parsing and validating what gets
through stays bounded. The app then reads the buffered body as if from the client.

The header cap refuses a request line and headers above `max_bytes` with 431. Under `make run` the
HTTP server already stops reading at the same cap (`launch.http`); this middleware holds the cap
under any other ASGI server too.
"""

from __future__ import annotations

import re

from fastapi.responses import JSONResponse
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_JSON_DEPTH = 32
"""Nested objects and arrays a body may open (the contract needs 2)."""
MAX_JSON_MEMBERS = 1_000
"""Object keys and array items a body may hold, at every depth together (the contract needs 6)."""

# A JSON string, or the rest of the body after an unterminated one: a match never fails once
# started, so a body of unbalanced quotes is scanned once, not once per quote.
_STRING = re.compile(rb'"(?:[^"\\]|\\.)*(?:"|\\?\Z)', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")


def json_shape_problem(
    body: bytes, max_depth: int = MAX_JSON_DEPTH, max_members: int = MAX_JSON_MEMBERS
) -> str | None:
    """Why `body` is too deep or too wide to parse, or None; strings are skipped, never parsed.

    Linear in the body's length; a body that is not JSON passes (the parser refuses it)."""
    skeleton = _STRING.sub(b'""', body)
    if skeleton.count(b",") >= max_members:
        return f"JSON body with more than {max_members} members (keys and array items)"
    brackets = skeleton.translate(None, _NOT_BRACKETS)
    if len(brackets) <= max_depth:
        return None
    depth = 0
    for byte in brackets:
        depth += 1 if byte in b"[{" else -1
        if depth > max_depth:
            return f"JSON body nested deeper than {max_depth} levels"
    return None


async def refuse(status: int, detail: str, scope: Scope, receive: Receive, send: Send) -> None:
    """Answer `status` with `detail` and close the connection: what is left unread is never read."""
    response = JSONResponse({"detail": detail}, status_code=status, headers={"Connection": "close"})
    await response(scope, receive, send)


class HeaderCap:
    """431 for a request whose target and headers together are above `max_bytes`."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            size = len(scope.get("raw_path") or b"") + len(scope.get("query_string") or b"")
            size += sum(len(name) + len(value) + 4 for name, value in scope["headers"])
            if size > self.max_bytes:
                detail = f"request headers larger than {self.max_bytes} bytes"
                await refuse(431, detail, scope, receive, send)
                return
        await self.app(scope, receive, send)


class BodyCap:
    """413 as soon as a body passes `max_bytes` (declared or received); 422 for a JSON body under the
    cap too deep or too wide to parse. The app reads the body from this middleware's buffer."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        too_large = f"body larger than {self.max_bytes} bytes"
        length = Headers(scope=scope).get("content-length")
        if length and length.isdigit() and int(length) > self.max_bytes:
            await refuse(413, too_large, scope, receive, send)
            return
        chunks: list[bytes] = []
        received, more = 0, True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client left before its body was complete: nobody to answer
            chunk = message.get("body", b"")
            received += len(chunk)
            if received > self.max_bytes:
                await refuse(413, too_large, scope, receive, send)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        problem = json_shape_problem(body) if body else None
        if problem:
            await refuse(422, problem, scope, receive, send)
            return
        await self.app(scope, _replay(body, receive), send)


def _replay(body: bytes, receive: Receive) -> Receive:
    """`receive` for the app: the buffered body once, then the client's own (its disconnect)."""
    pending = [{"type": "http.request", "body": body, "more_body": False}]

    async def replay() -> Message:
        return pending.pop() if pending else await receive()

    return replay
