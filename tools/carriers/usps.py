"""USPS Tracking v3: `GET /tracking/v3/tracking/{trackingNumber}?expand=DETAIL` with an OAuth token.

The token comes from `POST /oauth2/v3/token` (JSON body with the client credentials). Events are
newest first; `eventTimestamp` is local time and `GMTOffset` its offset.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any
from urllib.parse import quote

from brands import OAuthCarrier
from brands.context import BrandContext
from config.settings import get_settings
from tools.carriers.auth import OAuthClient, secret_from, with_bearer
from tools.carriers.normal import (
    TrackingEvent,
    TrackingResult,
    TrackingStatus,
    latest,
    parse_date,
    parse_time,
    place,
    with_offset,
)
from tools.http import request_json

SYSTEM = "usps"
_CATEGORIES: dict[str, TrackingStatus] = {
    "pre-shipment": "pre_transit",
    "accepted": "in_transit",
    "in transit": "in_transit",
    "available for pickup": "in_transit",
    "delivery attempt": "exception",
    "out for delivery": "out_for_delivery",
    "delivered": "delivered",
    "alert": "exception",
    "return to sender": "returned",
}


def _event(raw: Mapping[str, Any]) -> TrackingEvent:
    moment = parse_time(raw.get("eventTimestamp"))
    offset = raw.get("GMTOffset")
    return TrackingEvent(
        description=str(raw.get("eventType") or ""),
        time=with_offset(moment, offset if isinstance(offset, str) else None) if moment else None,
        place=place(raw.get("eventCity"), raw.get("eventState"), raw.get("eventCountry") or "US"),
    )


def parse(body: Mapping[str, Any], number: str) -> TrackingResult:
    """Normalise a tracking details object."""
    events = [_event(e) for e in body.get("trackingEvents") or [] if isinstance(e, dict)]
    status = _CATEGORIES.get(str(body.get("statusCategory") or "").strip().lower(), "unknown")
    newest = latest(events)
    expected = (
        body.get("expectedDeliveryTimeStamp")
        or body.get("expectedDeliveryDate")
        or body.get("predictedDeliveryDate")
    )
    estimate: date | None = None if status == "delivered" else parse_date(expected)
    delivered_at = newest.time if status == "delivered" and newest else None
    return TrackingResult("usps", number, status, newest, estimate, delivered_at)


async def track(number: str, account: OAuthCarrier, ctx: BrandContext) -> TrackingResult:
    """Track one USPS number with the brand's USPS account."""
    settings = get_settings()
    base, timeout = settings.carrier(SYSTEM), settings.carrier_timeout_s
    oauth = OAuthClient(
        SYSTEM,
        f"{base}/oauth2/v3/token",
        secret_from(account.client_id_env, ctx, SYSTEM, "client-id"),
        secret_from(account.client_secret_env, ctx, SYSTEM, "client-secret"),
        "json",
    )

    async def send(token: str) -> dict[str, Any]:
        return await request_json(
            SYSTEM,
            "GET",
            f"{base}/tracking/v3/tracking/{quote(number, safe='')}",
            headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
            params={"expand": "DETAIL"},
            what=f"tracking number {number}",
            timeout=timeout,
        )

    return parse(await with_bearer(oauth, timeout, send), number)
