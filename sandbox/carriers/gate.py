"""The parts every sandbox carrier shares: its wire description, the gate in front, the app builder.

The gate records every request except `/_admin/` (method, path, query, an allowlist of headers,
the body with any `client_secret` redacted, the status, and the account the server recognised) and
applies the mode to tracking requests only: token endpoints and `/_admin/` are never refused or
delayed. Credentials never enter the record: `Authorization` and `DHL-API-Key` are not on the
allowlist.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import parse_qsl

from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint

from sandbox.carriers.store import CarrierStore, Json

ErrorKind = Literal["bad_request", "unauthorized", "not_found", "rate_limited", "server_error", "unavailable"]
RECORDED_HEADERS = frozenset(
    {"content-type", "accept", "transid", "transactionsrc", "x-customer-transaction-id", "x-locale"}
)
SECRET_FIELDS = frozenset({"client_secret", "password", "api_key"})
REDACTED = "[redacted]"


@dataclass(frozen=True)
class Wire:
    """How one carrier speaks: its name, the tracking paths modes act on, its error bodies."""

    name: str
    tracking_prefixes: tuple[str, ...]
    error: Callable[[ErrorKind, str, int], Response]
    """`(kind, detail, retry_after)` -> the carrier's own error response."""


def store_of(request: Request) -> CarrierStore:
    store: CarrierStore = request.app.state.store
    return store


def wire_of(request: Request) -> Wire:
    wire: Wire = request.app.state.wire
    return wire


def note_account(request: Request, account: str) -> None:
    """Write the recognised account (never a secret) into this request's record."""
    record = getattr(request.state, "record", None)
    if isinstance(record, dict):
        record["account"] = account


def _redact(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: REDACTED if k in SECRET_FIELDS else _redact(v) for k, v in value.items()}
    return value


def _decoded(body: bytes, content_type: str) -> Any:
    if not body:
        return None
    if "application/x-www-form-urlencoded" in content_type:
        return _redact(dict(parse_qsl(body.decode("latin-1"), keep_blank_values=True)))
    try:
        return _redact(json.loads(body))
    except ValueError:
        return body.decode("utf-8", errors="replace")


def _record(request: Request, body: bytes) -> Json:
    headers = {k.lower(): v for k, v in request.headers.items()}
    return {
        "method": request.method,
        "path": request.url.path,
        "query": dict(parse_qsl(request.url.query, keep_blank_values=True)),
        "headers": {k: v for k, v in headers.items() if k in RECORDED_HEADERS},
        "body": _decoded(body, headers.get("content-type", "")),
        "status": None,
        "account": None,
    }


class CarrierGate(BaseHTTPMiddleware):
    """Record every non-admin request; fail or delay tracking requests per the store's mode."""

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        if request.url.path.startswith("/_admin"):
            return await call_next(request)
        store, wire = store_of(request), wire_of(request)
        entry = _record(request, await request.body())
        store.requests.append(entry)
        request.state.record = entry
        if request.url.path.startswith(wire.tracking_prefixes):
            failure = store.failure()
            if failure is not None:
                response = wire.error(failure, "mode", store.mode.retry_after)
                entry["status"] = response.status_code
                return response
            delay = store.delay_seconds()
            if delay:
                await asyncio.sleep(delay)
        response = await call_next(request)
        entry["status"] = response.status_code
        return response


def build_app(wire: Wire, store: CarrierStore, routers: Sequence[APIRouter]) -> FastAPI:
    """A carrier app: its API routers, the shared `/_admin/` router, the gate, its error bodies."""
    from sandbox.carriers.admin import router as admin_router  # admin imports this module's helpers

    app = FastAPI(title=f"sandbox {wire.name}", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.store = store
    app.state.wire = wire

    async def invalid(request: Request, exc: Exception) -> Response:
        return wire.error("bad_request", str(exc), 0)

    app.add_exception_handler(RequestValidationError, invalid)
    for router in routers:
        app.include_router(router)
    app.include_router(admin_router)
    app.add_middleware(CarrierGate)
    return app
