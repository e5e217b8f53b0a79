"""Operator routes: `GET /healthz` and `GET /metrics` (the tier-two counters of `tools.metrics`).

Scraped by the operator, not by brands: `/metrics` lists every brand's counters, so it asks for
the metrics token (`Authorization: Bearer $SUPPORT_METRICS_TOKEN`; none configured: 403, never
open; docs/metrics.md has the Prometheus scrape configuration). No metrics label holds customer
text or a secret. `/healthz` stays open for load balancers and says nothing but `ok`.
"""

from __future__ import annotations

from fastapi import APIRouter, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from api.deps import MetricsReader
from tools.metrics import REGISTRY

router = APIRouter(tags=["operations"])


@router.get("/metrics", include_in_schema=False, dependencies=[MetricsReader])
async def metrics() -> Response:
    return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}
