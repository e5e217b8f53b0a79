"""OAuth 2.0 client-credentials helpers shared by the UPS, FedEx and USPS sandboxes.

Each carrier keeps its own token endpoint path and response shape; these read what a client sends
(form or JSON body, HTTP Basic or body credentials) and check the bearer token on API calls.
"""

from __future__ import annotations

import base64
import binascii
import json
from urllib.parse import parse_qsl

from fastapi import Request

from sandbox.carriers.gate import note_account, store_of


async def body_fields(request: Request) -> dict[str, str]:
    """The request's form or JSON object fields as strings; anything else reads as no fields."""
    raw = await request.body()
    if "application/json" in request.headers.get("content-type", ""):
        try:
            data = json.loads(raw or b"{}")
        except ValueError:
            return {}
        return {k: str(v) for k, v in data.items()} if isinstance(data, dict) else {}
    return dict(parse_qsl(raw.decode("latin-1"), keep_blank_values=True))


def basic_credentials(request: Request) -> tuple[str, str] | None:
    """`Authorization: Basic base64(id:secret)` -> (id, secret)."""
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    client_id, sep, secret = decoded.partition(":")
    return (client_id, secret) if sep else None


def client_account(request: Request, client_id: str, client_secret: str) -> str | None:
    """The account these client credentials belong to; noted on the request's record."""
    account = store_of(request).account_for_secret(client_id, client_secret)
    if account is not None:
        note_account(request, account)
    return account


def bearer_account(request: Request) -> str | None:
    """The account whose live token is in `Authorization: Bearer ...`; noted on the record."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    account = store_of(request).account_for_token(token.strip())
    if account is not None:
        note_account(request, account)
    return account
