"""Carrier credentials and OAuth 2.0 client-credentials tokens.

Credentials are read at call time from the environment variables the brand configuration names
(`carriers.native.<carrier>.client_id_env`...); in the dev environment an unset variable falls back
to the sandbox's published dev account for the brand (`<brand>-<carrier>-dev-client-id`...). They
never enter state, prompts or logs.

Tokens are cached per token URL, client id and secret until a minute before they expire, so a
turn does not pay a token round trip; a 401 on an API call drops the token and retries once with a
fresh one (tokens expire early, servers restart).
"""

from __future__ import annotations

import base64
import hashlib
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Literal, TypeVar

from brands.context import BrandContext
from tools.commerce import credential
from tools.errors import UpstreamError
from tools.http import request_json

T = TypeVar("T")
TokenStyle = Literal["basic_form", "form", "json"]
"""How the token endpoint takes the client credentials: HTTP Basic + form (UPS), form fields
(FedEx), or a JSON body (USPS)."""
EXPIRY_MARGIN_S = 60.0

_tokens: dict[tuple[str, str, str], tuple[str, float]] = {}


@dataclass(frozen=True)
class OAuthClient:
    system: str
    token_url: str
    client_id: str
    client_secret: str
    style: TokenStyle

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.token_url, self.client_id, hashlib.sha256(self.client_secret.encode()).hexdigest())


def dev_credential(ctx: BrandContext, carrier: str, what: str) -> str:
    """The sandbox's dev credential for this brand, e.g. `acme-ups-dev-client-id`."""
    return f"{ctx.brand_id}-{carrier}-dev-{what}"


def secret_from(env_var: str, ctx: BrandContext, carrier: str, what: str) -> str:
    return credential(env_var, dev_credential(ctx, carrier, what))


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode("ascii")


def clear_tokens() -> None:
    """Forget every cached token (tests reset the sandbox carriers between tests)."""
    _tokens.clear()


async def _fetch(client: OAuthClient, timeout: float) -> tuple[str, float]:
    form = {"grant_type": "client_credentials"}
    credentials = {"client_id": client.client_id, "client_secret": client.client_secret}
    headers = {"Accept": "application/json"}
    if client.style == "basic_form":
        headers["Authorization"] = basic(client.client_id, client.client_secret)
    body = await request_json(
        client.system,
        "POST",
        client.token_url,
        headers=headers,
        what="the access token",
        timeout=timeout,
        idempotent=True,  # another token, nothing written
        data=form
        if client.style == "basic_form"
        else {**form, **credentials}
        if client.style == "form"
        else None,
        json={**form, **credentials} if client.style == "json" else None,
    )
    token = body.get("access_token")
    if not isinstance(token, str) or not token:
        raise UpstreamError(client.system, 502)
    try:
        lifetime = float(body.get("expires_in") or 0)  # UPS sends it as a string
    except (TypeError, ValueError):
        lifetime = 0.0
    return token, time.monotonic() + max(lifetime - EXPIRY_MARGIN_S, 0.0)


async def bearer_token(client: OAuthClient, timeout: float) -> str:
    """A live access token for `client`, from the cache or the token endpoint."""
    cached = _tokens.get(client.key)
    if cached is not None and cached[1] > time.monotonic():
        return cached[0]
    token, expires_at = await _fetch(client, timeout)
    _tokens[client.key] = (token, expires_at)
    return token


async def with_bearer(client: OAuthClient, timeout: float, send: Callable[[str], Awaitable[T]]) -> T:
    """Call `send(token)`; on a 401, fetch a new token and call it once more."""
    token = await bearer_token(client, timeout)
    try:
        return await send(token)
    except UpstreamError as exc:
        if exc.status != 401:
            raise
    _tokens.pop(client.key, None)
    return await send(await bearer_token(client, timeout))
