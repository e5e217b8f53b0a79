"""`Idempotency-Key` for the store's writes: replay the first answer, refuse a changed request.

A key is scoped to its shop. The first successful answer is kept with a fingerprint of the
request (method, path, JSON body with sorted keys); the same key and fingerprint replays it with
`Idempotent-Replayed: true`, the same key with another path or body is 409 Conflict, as payment
APIs with this header answer (Payroc, Gravity Payments; the IETF draft suggests 422 instead).
As at Stripe, a request refused by validation saves nothing, so a corrected retry may reuse its key.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import HTTPException
from fastapi.responses import JSONResponse

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


def remember(store: CommerceStore, shop: str, key: str | None, request_print: str, body: Json) -> None:
    if key is not None:
        store.replies[(shop, key)] = StoredReply(fingerprint=request_print, status=200, body=body)
