"""The FastAPI app: HTTP only. Routes (`api.routes`), auth, the body cap, errors as 4xx with a reason.

`create_app()` builds the app; its lifespan opens the service (`service.core.open_service`:
persistence, the compiled graph, the external clients), which does the work of every route.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from api.auth import KeyRing
from api.routes import customers, events, handoffs, messages, ops, reports
from config.settings import Settings, get_settings
from service.core import open_service
from service.listing import adopt_owners
from service.once import IdReused
from workflows.registry import REGISTRY, Registry


class BodyCap:
    """413 for a body whose `Content-Length` is above `max_bytes`, before anything reads it.

    A plain ASGI middleware: `@app.middleware("http")` ran every request through an extra task and
    memory streams (about 0.35 ms a request).
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            length = Headers(scope=scope).get("content-length")
            if length and length.isdigit() and int(length) > self.max_bytes:
                body = {"detail": f"body larger than {self.max_bytes} bytes"}
                await JSONResponse(body, status_code=413)(scope, receive, send)
                return
        await self.app(scope, receive, send)


async def id_reused(_request: Request, exc: Exception) -> JSONResponse:
    """409: a message or event id used before with another body; the detail says which."""
    return JSONResponse({"detail": str(exc)}, status_code=409)


def create_app(settings: Settings | None = None, registry: Registry = REGISTRY) -> FastAPI:
    """The app on `settings` (default: the process's), running the workflows of `registry`.

    Raises `RegistryError` when a brand enables a workflow the registry does not have."""
    settings = settings or get_settings()
    brands = settings.brands()
    for brand in brands.values():
        registry.check_brand(brand)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with open_service(settings, registry) as service:
            await adopt_owners(service)  # conversations from before owners were stored: listed too
            app.state.service = service
            yield

    app = FastAPI(title="Support graph", version="1", lifespan=lifespan)
    app.state.keys = KeyRing(brands, dev=settings.is_dev)
    app.add_exception_handler(IdReused, id_reused)
    app.include_router(events.router)
    app.include_router(reports.router)
    app.include_router(messages.router)
    app.include_router(handoffs.router)
    app.include_router(customers.router)
    app.include_router(ops.router)
    app.add_middleware(BodyCap, max_bytes=settings.max_body_bytes)
    return app
