"""`Idempotency-Key` for the store's writes: replay the first answer, refuse a changed request.

A key is scoped to its shop. The first successful answer is kept with a fingerprint of the
request (method, path, JSON body with sorted keys); the same key and fingerprint replays it with
`Idempotent-Replayed: true`, the same key with another path or body is 409 Conflict, as payment
APIs with this header answer (Payroc, Gravity Payments; the IETF draft suggests 422 instead).
As at Stripe, a request refused by validation saves nothing, so a corrected retry may reuse its key.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from fastapi import HTTPException, Request
from fastapi.responses import JSONResponse

from sandbox.commerce.access import store_of
from sandbox.commerce.shapes import Json
from sandbox.commerce.store import CommerceStore, StoredReply

HEADER = "Idempotency-Key"


def fingerprint(method: str, path: str, body: Any) -> str:
    return json.dumps([method, path, body], sort_keys=True, separators=(",", ":"))


def replay(store: CommerceStore, shop: str, key: str | None, request_print: str) -> JSONResponse | None:
    """Return the stored answer for this key, None for a new key; 409 if the request changed."""
    if key is None:
        return None
    stored = store.replies.get((shop, key))
    if stored is None:
        return None
    if stored.fingerprint != request_print:
        detail = f"Idempotency-Key {key!r} was already used with a different request"
        raise HTTPException(status_code=409, detail=detail)
    return JSONResponse(stored.body, status_code=stored.status, headers={"Idempotent-Replayed": "true"})


async def json_object(request: Request) -> Json:
    """The request's JSON body, which must be an object (an empty body is `{}`); else 400."""
    raw = await request.body()
    try:
        body: Any = json.loads(raw) if raw.strip() else {}
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise HTTPException(status_code=400, detail="Request body must be a JSON object")
    return body


@dataclass(frozen=True)
class Write:
    """One write request: its store, shop, JSON body and `Idempotency-Key` (if any)."""

    store: CommerceStore
    shop: str
    body: Json
    key: str | None
    fingerprint: str

    def answer(self, body: Json, status: int = 200) -> JSONResponse:
        """Answer the write, keeping the answer (and its status) for the key's replays."""
        if self.key is not None:
            self.store.replies[(self.shop, self.key)] = StoredReply(self.fingerprint, status, body)
        return JSONResponse(body, status_code=status)


async def begin(request: Request, shop: str) -> tuple[Write, JSONResponse | None]:
    """Read a write request; with it, the stored answer when its key was seen before (409 when the
    request changed). Every write endpoint starts here, so all of them honour the header alike."""
    body = await json_object(request)
    key = request.headers.get(HEADER)
    write = Write(store_of(request), shop, body, key, fingerprint(request.method, request.url.path, body))
    return write, replay(write.store, shop, key, write.fingerprint)
