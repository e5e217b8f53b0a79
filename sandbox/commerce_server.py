"""The sandbox commerce server: Shopify-style orders and Recharge-style subscriptions per shop.

`create_app()` builds a FastAPI app with its own freshly seeded shops, one per shop the brand files
name (`sandbox.brands`; seed data in `sandbox.commerce.seed`, dev tokens in `sandbox.accounts`),
selected by path prefix `/shops/{shop}`:

- Shopify Admin REST 2024-10: `GET /shops/{shop}/admin/api/2024-10/orders.json`,
  `.../orders/{id}.json`, `.../orders/{id}/fulfillments.json`; header `X-Shopify-Access-Token`.
  Writes: `PUT .../orders/{id}.json` (shipping address), `POST .../orders/{id}/refunds.json` (and
  `refunds/calculate.json`, `GET` refunds and transactions), `POST .../orders/{id}/cancel.json`,
  each honouring `Idempotency-Key`. Products: `GET .../products.json`, `.../products/{id}.json`
  (variants with stock). GraphQL Admin: `POST .../graphql.json` (`returnableFulfillments`,
  `order { returns }`, the `returnCreate` mutation with exchange line items).
- Recharge 2021-11: `GET /shops/{shop}/recharge/subscriptions[/{id}]`,
  `POST .../subscriptions/{id}/cancel`; header `X-Recharge-Access-Token`.
- `/_admin/`: state, recorded requests, planted notes, modes, reset (see sandbox/README.md).

Every error body is `{"errors": ...}` as both real APIs answer.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from sandbox.accounts import commerce_tokens
from sandbox.brands import SandboxBrand, demo_brands, shops_of
from sandbox.commerce import (
    admin,
    recharge,
    shopify,
    shopify_cancel,
    shopify_graphql,
    shopify_orders_write,
    shopify_products,
    shopify_refunds,
)
from sandbox.commerce.access import errors_body, validation_errors_body
from sandbox.commerce.gate import ApiGate
from sandbox.commerce.store import Clock, CommerceStore, System

SYSTEMS: tuple[System, ...] = ("shopify", "recharge")


def token_names(shops: Iterable[str]) -> list[str]:
    """Return the names `create_app(tokens=...)` accepts: `<shop>.<system>`, e.g. `acme.shopify`."""
    return [f"{shop}.{system}" for shop in shops for system in SYSTEMS]


def resolve_tokens(shops: Sequence[str], overrides: Mapping[str, str] | None) -> dict[str, dict[System, str]]:
    """Return each shop's token per system: the dev token unless `overrides` names another."""
    overrides = dict(overrides or {})
    unknown = sorted(set(overrides) - set(token_names(shops)))
    if unknown:
        raise ValueError(f"unknown token names {unknown}; expected some of {token_names(shops)}")
    return {
        shop: {system: overrides.get(f"{shop}.{system}", commerce_tokens(shop)[system]) for system in SYSTEMS}
        for shop in shops
    }


def utc_now() -> datetime:
    return datetime.now(UTC)


def create_app(
    tokens: Mapping[str, str] | None = None,
    *,
    clock: Clock = utc_now,
    brands: Sequence[SandboxBrand] | None = None,
) -> FastAPI:
    """Build a commerce server with fresh seed data.

    Args:
        tokens: replacement tokens by name `<shop>.<system>` (`acme.shopify`, `globex.recharge`...);
            the others stay the dev tokens (`sandbox.accounts.commerce_tokens`).
        clock: the time written on cancellations; tests pass a fixed one.
        brands: the brands whose shops it holds; the repository's brand files by default.
    """
    served = demo_brands() if brands is None else brands
    shops = shops_of(served)
    order_names = {b.shop: b.order_name for b in served}
    store = CommerceStore(tokens=resolve_tokens(shops, tokens), clock=clock, order_names=order_names)
    app = FastAPI(title="sandbox commerce", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.store = store
    app.add_exception_handler(StarletteHTTPException, errors_body)  # type: ignore[arg-type]  # narrower exc type
    app.add_exception_handler(RequestValidationError, validation_errors_body)  # type: ignore[arg-type]  # same
    app.include_router(shopify.router)
    app.include_router(shopify_orders_write.router)
    app.include_router(shopify_refunds.router)
    app.include_router(shopify_cancel.router)
    app.include_router(shopify_products.router)
    app.include_router(shopify_graphql.router)
    app.include_router(recharge.router)
    app.include_router(admin.router)
    app.add_middleware(ApiGate, store=store)
    return app
