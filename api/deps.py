"""FastAPI dependencies shared by every router: the brand from the API key, the service, path ids.

Tier one (invariant 6): the API key alone fixes the brand; a router never reads a brand from a
path, a body or a model.

The dependencies are `async def` although they never wait: FastAPI runs a plain `def` dependency in
its thread pool, a thread hop per dependency and request.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, HTTPException, Path, Request

from api.schemas import ID_PATTERN
from brands import BrandConfig
from service.core import Service

ConversationId = Annotated[str, Path(pattern=ID_PATTERN, description="the brand's conversation id")]


async def brand_of(request: Request, authorization: Annotated[str | None, Header()] = None) -> BrandConfig:
    """Tier one: the API key alone fixes the brand."""
    if not authorization or not authorization.startswith("Bearer "):
        raise HTTPException(401, "missing Authorization: Bearer <API key>", {"WWW-Authenticate": "Bearer"})
    brand = request.app.state.keys.brand_for(authorization.removeprefix("Bearer ").strip())
    if brand is None:
        raise HTTPException(401, "unknown API key", {"WWW-Authenticate": "Bearer"})
    return brand


async def service(request: Request) -> Service:
    return request.app.state.service


Brand = Annotated[BrandConfig, Depends(brand_of)]
Svc = Annotated[Service, Depends(service)]
