"""FastAPI dependencies shared by every router: the brand from the API key, the metrics token, the
service, path ids.

Tier one (invariant 6): the API key alone fixes the brand; a router never reads a brand from a
path, a body or a model. The `Authorization` scheme is case-insensitive (RFC 9110 11.1): `Bearer`,
`bearer` and `BEARER` are one scheme.

The dependencies are `async def` although they never wait: FastAPI runs a plain `def` dependency in
its thread pool, a thread hop per dependency and request.
"""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Header, HTTPException, Path, Request

from api.schemas import ID_PATTERN
from brands import BrandConfig
from service.core import Service

ConversationId = Annotated[str, Path(pattern=ID_PATTERN, description="the brand's conversation id")]
CHALLENGE = {"WWW-Authenticate": "Bearer"}


def bearer_token(authorization: str | None) -> str | None:
    """The credentials of `Authorization: Bearer <token>`, the scheme in any case; None otherwise."""
    scheme, _, token = (authorization or "").strip().partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None


async def brand_of(request: Request, authorization: Annotated[str | None, Header()] = None) -> BrandConfig:
    """Tier one: the API key alone fixes the brand."""
    key = bearer_token(authorization)
    if key is None:
        raise HTTPException(401, "missing Authorization: Bearer <API key>", CHALLENGE)
    brand = request.app.state.keys.brand_for(key)
    if brand is None:
        raise HTTPException(401, "unknown API key", CHALLENGE)
    return brand


async def metrics_reader(request: Request, authorization: Annotated[str | None, Header()] = None) -> None:
    """The operator's metrics token (`SUPPORT_METRICS_TOKEN`), compared in constant time; with none
    configured `/metrics` is closed to everyone."""
    expected: str | None = request.app.state.metrics_token
    if not expected:
        raise HTTPException(403, "metrics are disabled: no SUPPORT_METRICS_TOKEN is configured")
    token = bearer_token(authorization)
    if token is None:
        raise HTTPException(401, "missing Authorization: Bearer <metrics token>", CHALLENGE)
    if not hmac.compare_digest(token.encode(), expected.encode()):
        raise HTTPException(401, "wrong metrics token", CHALLENGE)


async def service(request: Request) -> Service:
    return request.app.state.service


Brand = Annotated[BrandConfig, Depends(brand_of)]
MetricsReader = Depends(metrics_reader)
Svc = Annotated[Service, Depends(service)]
