"""The tracking aggregator (EasyPost-style Trackers): `POST /v2/trackers`, HTTP Basic with the key.

Used only for carriers the brand has no native account with. Creating a tracker for a code the
aggregator already tracks returns the same tracker, so a retried POST does not track twice. A
tracker with status `unknown` and no details means the aggregator has no data for the code yet.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from brands import AggregatorConfig
from brands.context import BrandContext
from config.settings import get_settings
from tools.carriers.auth import basic, secret_from
from tools.carriers.normal import (
    TrackingEvent,
    TrackingResult,
    TrackingStatus,
    latest,
    parse_date,
    parse_time,
    place,
)
from tools.http import request_json

SYSTEM = "aggregator"
CARRIER_CODES: dict[str, str] = {
    "ups": "UPS",
    "fedex": "FedEx",
    "usps": "USPS",
    "dhl": "DHLExpress",
    "royal_mail": "RoyalMail",
    "canada_post": "CanadaPost",
    "deutsche_post": "DeutschePost",
    "la_poste": "LaPosteColissimo",
    "postnl": "PostNL",
    "australia_post": "AustraliaPost",
}
"""Our carrier slugs as the aggregator names carriers; a carrier not listed is left for it to detect."""
_STATUSES: dict[str, TrackingStatus] = {
    "unknown": "unknown",
    "pre_transit": "pre_transit",
    "in_transit": "in_transit",
    "available_for_pickup": "in_transit",
    "out_for_delivery": "out_for_delivery",
    "delivered": "delivered",
    "return_to_sender": "returned",
    "failure": "exception",
    "error": "exception",
    "cancelled": "exception",
}


def _event(detail: Mapping[str, Any]) -> TrackingEvent:
    where = detail.get("tracking_location") or {}
    return TrackingEvent(
        description=str(detail.get("message") or detail.get("description") or ""),
        time=parse_time(detail.get("datetime")),
        place=place(where.get("city"), where.get("state"), where.get("country")),
    )


def parse(body: Mapping[str, Any], number: str, carrier: str) -> TrackingResult:
    """Normalise a Tracker; `carrier` is our slug for the carrier that moves the parcel."""
    events = [_event(d) for d in body.get("tracking_details") or [] if isinstance(d, dict)]
    status = _STATUSES.get(str(body.get("status") or "unknown"), "unknown")
    newest = latest(events)
    estimate: date | None = None if status == "delivered" else parse_date(body.get("est_delivery_date"))
    delivered_at = newest.time if status == "delivered" and newest else None
    return TrackingResult(carrier, number, status, newest, estimate, delivered_at)


async def track(number: str, carrier: str, config: AggregatorConfig, ctx: BrandContext) -> TrackingResult:
    """Track one number through the aggregator with the brand's aggregator key."""
    settings = get_settings()
    key = secret_from(config.api_key_env, ctx, SYSTEM, "key")
    tracker: dict[str, str] = {"tracking_code": number}
    if carrier in CARRIER_CODES:
        tracker["carrier"] = CARRIER_CODES[carrier]
    body = await request_json(
        SYSTEM,
        "POST",
        f"{settings.aggregator()}/v2/trackers",
        headers={"Authorization": basic(key, ""), "Accept": "application/json"},
        json={"tracker": tracker},
        what=f"tracking number {number}",
        timeout=settings.carrier_timeout_s,
        idempotent=True,  # EasyPost returns the same tracker for the same code: a read for us
    )
    return parse(body, number, carrier)
