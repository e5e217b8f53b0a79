"""`/docs` works offline: the page loads Swagger UI only from the service itself, which serves it."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient


def test_that_docs_loads_swagger_ui_from_the_service_not_a_cdn(client: TestClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text) + re.findall(r"url: '([^']+)'", page.text)
    assert sources, page.text
    assert [s for s in sources if "//" in s] == []  # nothing from another host
    for source in sources:
        asset = client.get(source)
        assert asset.status_code == 200, source
    script = client.get("/docs-assets/swagger-ui-bundle.js")
    assert "SwaggerUIBundle" in script.text
    assert "/v1/conversations/{conversation_id}/messages" in client.get("/openapi.json").json()["paths"]
    assert client.get("/redoc").status_code == 404  # ReDoc would need a CDN
