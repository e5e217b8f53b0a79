"""The sandbox commerce server: Shopify-style orders and Recharge-style subscriptions per shop.

`create_app()` builds a FastAPI app with its own freshly seeded demo shops (see
`sandbox.commerce.seed`), selected by path prefix `/shops/{shop}`:

- Shopify Admin REST 2024-10: `GET /shops/{shop}/admin/api/2024-10/orders.json`,
  `.../orders/{id}.json`, `.../orders/{id}/fulfillments.json`; header `X-Shopify-Access-Token`.
  Writes: `PUT .../orders/{id}.json` (shipping address), `POST .../orders/{id}/refunds.json` (and
  `refunds/calculate.json`, `GET` refunds and transactions), each honouring `Idempotency-Key`.
- Recharge 2021-11: `GET /shops/{shop}/recharge/subscriptions[/{id}]`,
  `POST .../subscriptions/{id}/cancel`; header `X-Recharge-Access-Token`.
- `/_admin/`: state, recorded requests, planted notes, modes, reset (see sandbox/README.md).

Every error body is `{"errors": ...}` as both real APIs answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from sandbox.commerce import admin, recharge, shopify, shopify_orders_write, shopify_refunds
from sandbox.commerce.access import errors_body, validation_errors_body
from sandbox.commerce.gate import ApiGate
from sandbox.commerce.store import Clock, CommerceStore, System

DEV_TOKENS: dict[str, dict[str, str]] = {
    "acme": {"shopify": "shpat_acme_dev_token", "recharge": "rc_acme_dev_token"},
    "globex": {"shopify": "shpat_globex_dev_token", "recharge": "rc_globex_dev_token"},
}
SYSTEMS: tuple[System, ...] = ("shopify", "recharge")


def token_names() -> list[str]:
    """Return the names `create_app(tokens=...)` accepts: `<shop>.<system>`, e.g. `acme.shopify`."""
    return [f"{shop}.{system}" for shop in DEV_TOKENS for system in SYSTEMS]


def resolve_tokens(overrides: Mapping[str, str] | None) -> dict[str, dict[System, str]]:
    """Return each shop's token per system: the dev token unless `overrides` names another."""
    overrides = dict(overrides or {})
    unknown = sorted(set(overrides) - set(token_names()))
    if unknown:
        raise ValueError(f"unknown token names {unknown}; expected some of {token_names()}")
    return {
        shop: {system: overrides.get(f"{shop}.{system}", DEV_TOKENS[shop][system]) for system in SYSTEMS}
        for shop in DEV_TOKENS
    }


def utc_now() -> datetime:
    return datetime.now(UTC)


def create_app(tokens: Mapping[str, str] | None = None, *, clock: Clock = utc_now) -> FastAPI:
    """Build a commerce server with fresh demo data.

    Args:
        tokens: replacement tokens by name `<shop>.<system>` (`acme.shopify`, `globex.recharge`...);
            the others stay as in `DEV_TOKENS`.
        clock: the time written on cancellations; tests pass a fixed one.
    """
    store = CommerceStore(tokens=resolve_tokens(tokens), clock=clock)
    app = FastAPI(title="sandbox commerce", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.store = store
    app.add_exception_handler(StarletteHTTPException, errors_body)  # type: ignore[arg-type]  # narrower exc type
    app.add_exception_handler(RequestValidationError, validation_errors_body)  # type: ignore[arg-type]  # same
    app.include_router(shopify.router)
    app.include_router(shopify_orders_write.router)
    app.include_router(shopify_refunds.router)
    app.include_router(recharge.router)
    app.include_router(admin.router)
    app.add_middleware(ApiGate, store=store)
    return app
