"""Shop lookup, per-shop token checks and the `{"errors": ...}` error body both APIs use.

Order of checks, as the real services answer: an unknown shop is 404 before any token is read, a
wrong or missing token is 401 with the service's own message, then the resource itself may be 404.
"""

from __future__ import annotations

import hmac

from fastapi import HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from sandbox.commerce.shapes import ShopData
from sandbox.commerce.store import CommerceStore, System

TOKEN_HEADERS: dict[System, str] = {
    "shopify": "X-Shopify-Access-Token",
    "recharge": "X-Recharge-Access-Token",
}
BAD_TOKEN_MESSAGES: dict[System, str] = {
    "shopify": "[API] Invalid API key or access token (unrecognized login or wrong password)",
    "recharge": "Invalid API key",
}
NOT_FOUND = "Not Found"


def store_of(request: Request) -> CommerceStore:
    store: CommerceStore = request.app.state.store
    return store


def authorised_shop(request: Request, shop: str, system: System) -> ShopData:
    """Return the shop's data if the request carries that shop's token for `system`."""
    store = store_of(request)
    data = store.shops.get(shop)
    if data is None:
        raise HTTPException(status_code=404, detail=NOT_FOUND)
    presented = request.headers.get(TOKEN_HEADERS[system], "")
    expected = store.tokens[shop][system]
    if not hmac.compare_digest(presented.encode(), expected.encode()):
        raise HTTPException(status_code=401, detail=BAD_TOKEN_MESSAGES[system])
    return data


async def errors_body(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    """Render any HTTP error as `{"errors": detail}`, the body shape Shopify and Recharge share."""
    return JSONResponse({"errors": exc.detail}, status_code=exc.status_code, headers=exc.headers)


async def validation_errors_body(request: Request, exc: RequestValidationError) -> JSONResponse:
    """Render invalid input as 422 `{"errors": {field: [message, ...]}}`, Rails style like both APIs."""
    errors: dict[str, list[str]] = {}
    for error in exc.errors():
        field = ".".join(str(part) for part in error["loc"][1:]) or str(error["loc"][0])
        errors.setdefault(field, []).append(error["msg"])
    return JSONResponse({"errors": errors}, status_code=422)
