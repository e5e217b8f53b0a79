"""Operator routes: `GET /healthz` and `GET /metrics` (the tier-two counters of `tools.metrics`).

Unauthenticated (scraped by the operator, not by brands); every metrics series is labelled by
brand, and no label holds customer text or a secret.
"""

from __future__ import annotations

from fastapi import APIRouter, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from tools.metrics import REGISTRY

router = APIRouter()


@router.get("/metrics", include_in_schema=False)
async def metrics() -> Response:
    return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}
