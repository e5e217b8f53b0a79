"""`GET /docs` offline: Swagger UI's assets are served by the service itself, from the kept package
`swagger-ui-py` (pinned in pyproject; Swagger UI 5, which reads OpenAPI 3.1 as FastAPI writes it: the
4.x of `swagger-ui-bundle` showed "Unable to render this definition"), never from a CDN. ReDoc, which
has no such package, is off.
`make docs-check` renders the page in headless Chromium (`scripts/docs_check.py`)."""

from __future__ import annotations

import importlib.resources

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

SWAGGER_UI = importlib.resources.files("swagger_ui") / "static"
"""Swagger UI's built files as the `swagger-ui-py` package ships them."""

ASSETS = "/docs-assets"


def serve_docs(app: FastAPI) -> None:
    """Mount Swagger UI's files at `ASSETS` and the page at `/docs` (the app has `docs_url=None`)."""
    app.mount(ASSETS, StaticFiles(directory=str(SWAGGER_UI)), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title=f"{app.title} - API",
            swagger_js_url=f"{ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{ASSETS}/favicon-32x32.png",
        )
