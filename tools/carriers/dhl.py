"""DHL Shipment Tracking - Unified: `GET /track/shipments?trackingNumber=` with `DHL-API-Key`.

Events are newest first; timestamps are local wall-clock time, often without an offset.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from brands import ApiKeyCarrier
from brands.context import BrandContext
from config.settings import get_settings
from tools.carriers.auth import secret_from
from tools.carriers.normal import (
    TrackingEvent,
    TrackingResult,
    TrackingStatus,
    latest,
    parse_date,
    parse_time,
    place,
)
from tools.errors import NotFound
from tools.http import request_json

SYSTEM = "dhl"
_CODES: dict[str, TrackingStatus] = {
    "pre-transit": "pre_transit",
    "transit": "in_transit",
    "delivered": "delivered",
    "failure": "exception",
    "unknown": "unknown",
}


def _event(raw: Mapping[str, Any]) -> TrackingEvent:
    address = (raw.get("location") or {}).get("address") or {}
    return TrackingEvent(
        description=str(raw.get("description") or raw.get("status") or ""),
        time=parse_time(raw.get("timestamp")),
        place=place(address.get("addressLocality"), address.get("countryCode")),
    )


def parse(body: Mapping[str, Any], number: str) -> TrackingResult:
    """Normalise the first shipment of a unified tracking response."""
    shipments = [s for s in body.get("shipments") or [] if isinstance(s, dict)]
    if not shipments:
        raise NotFound(SYSTEM, f"tracking number {number}")
    shipment = shipments[0]
    events = [_event(e) for e in shipment.get("events") or [] if isinstance(e, dict)]
    current = shipment.get("status") or {}
    status = _CODES.get(str(current.get("statusCode") or "").lower(), "unknown")
    newest = latest(events) or (_event(current) if current else None)
    estimate: date | None = (
        None if status == "delivered" else parse_date(shipment.get("estimatedTimeOfDelivery"))
    )
    delivered_at = (
        (parse_time(current.get("timestamp")) or (newest.time if newest else None))
        if status == "delivered"
        else None
    )
    return TrackingResult("dhl", number, status, newest, estimate, delivered_at)


async def track(number: str, account: ApiKeyCarrier, ctx: BrandContext) -> TrackingResult:
    """Track one DHL number with the brand's DHL API key."""
    settings = get_settings()
    body = await request_json(
        SYSTEM,
        "GET",
        f"{settings.carrier(SYSTEM)}/track/shipments",
        headers={
            "DHL-API-Key": secret_from(account.api_key_env, ctx, SYSTEM, "key"),
            "Accept": "application/json",
        },
        params={"trackingNumber": number},
        what=f"tracking number {number}",
        timeout=settings.carrier_timeout_s,
    )
    return parse(body, number)
