"""The FastAPI app: HTTP only. Routes (`api.routes`), auth, the caps (`api.limits`), errors as 4xx with
a reason (`api.errors`).

`create_app()` builds the app; its lifespan opens the service (`service.core.open_service`:
persistence, the compiled graph, the external clients), which does the work of every route.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError

from api.auth import KeyRing
from api.docs import serve_docs
from api.errors import drop_echo_from_openapi, id_reused, invalid_request
from api.limits import BodyCap, HeaderCap
from api.routes import customers, events, handoffs, messages, ops, reports
from config.settings import Settings, get_settings
from service.core import open_service
from service.listing import adopt_owners
from service.once import IdReused
from workflows.registry import REGISTRY, Registry


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

    app = FastAPI(title="Support graph", version="1", lifespan=lifespan, docs_url=None, redoc_url=None)
    serve_docs(app)  # /docs with Swagger UI served from a kept package: works offline
    app.state.keys = KeyRing(brands, dev=settings.is_dev)
    token = settings.metrics_token
    app.state.metrics_token = token.get_secret_value() if token else None
    app.add_exception_handler(IdReused, id_reused)
    app.add_exception_handler(RequestValidationError, invalid_request)
    drop_echo_from_openapi(app)
    app.include_router(events.router)
    app.include_router(reports.router)
    app.include_router(messages.router)
    app.include_router(handoffs.router)
    app.include_router(customers.router)
    app.include_router(ops.router)
    app.add_middleware(BodyCap, max_bytes=settings.max_body_bytes)
    app.add_middleware(HeaderCap, max_bytes=settings.max_header_bytes)  # outermost: runs first
    return app
