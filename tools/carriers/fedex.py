"""FedEx Track API: `POST /track/v1/trackingnumbers` with an OAuth bearer token.

The token comes from `POST /oauth/token` (form body with the client credentials). An unknown
number is a 200 whose track result carries `error.code` `TRACKING.TRACKINGNUMBER.NOTFOUND`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

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
)
from tools.errors import NotFound, UpstreamError
from tools.http import request_json

SYSTEM = "fedex"
_DERIVED: dict[str, TrackingStatus] = {
    "IN": "pre_transit",
    "OC": "pre_transit",
    "PU": "in_transit",
    "IT": "in_transit",
    "AR": "in_transit",
    "DP": "in_transit",
    "AF": "in_transit",
    "CC": "in_transit",
    "OD": "out_for_delivery",
    "DL": "delivered",
    "DE": "exception",
    "DY": "exception",
    "SE": "exception",
    "CA": "exception",
    "RS": "returned",
}


def _event(scan: Mapping[str, Any]) -> TrackingEvent:
    where = scan.get("scanLocation") or {}
    return TrackingEvent(
        description=str(scan.get("eventDescription") or scan.get("derivedStatus") or ""),
        time=parse_time(scan.get("date")),
        place=place(where.get("city"), where.get("stateOrProvinceCode"), where.get("countryCode")),
    )


def _result(body: Mapping[str, Any], number: str) -> Mapping[str, Any]:
    complete = (body.get("output") or {}).get("completeTrackResults") or [{}]
    results = complete[0].get("trackResults") or []
    if not results:
        raise NotFound(SYSTEM, f"tracking number {number}")
    result = results[0]
    problem = result.get("error")
    if isinstance(problem, dict) and problem.get("code"):
        if "NOTFOUND" in str(problem["code"]).upper().replace(".", "").replace("_", ""):
            raise NotFound(SYSTEM, f"tracking number {number}")
        raise UpstreamError(SYSTEM, 502)
    return result


def parse(body: Mapping[str, Any], number: str) -> TrackingResult:
    """Normalise the first track result of a Track API response."""
    result = _result(body, number)
    events = [_event(s) for s in result.get("scanEvents") or [] if isinstance(s, dict)]
    detail = result.get("latestStatusDetail") or {}
    status = _DERIVED.get(str(detail.get("derivedCode") or detail.get("code") or "").upper(), "unknown")
    dates = {
        d.get("type"): d.get("dateTime") for d in result.get("dateAndTimes") or [] if isinstance(d, dict)
    }
    delivered_at: datetime | None = (
        parse_time(dates.get("ACTUAL_DELIVERY")) if status == "delivered" else None
    )
    window = ((result.get("estimatedDeliveryTimeWindow") or {}).get("window") or {}).get("ends")
    estimate: date | None = (
        None if status == "delivered" else parse_date(dates.get("ESTIMATED_DELIVERY") or window)
    )
    return TrackingResult("fedex", number, status, latest(events), estimate, delivered_at)


async def track(number: str, account: OAuthCarrier, ctx: BrandContext) -> TrackingResult:
    """Track one FedEx number with the brand's FedEx account."""
    settings = get_settings()
    base, timeout = settings.carrier(SYSTEM), settings.carrier_timeout_s
    oauth = OAuthClient(
        SYSTEM,
        f"{base}/oauth/token",
        secret_from(account.client_id_env, ctx, SYSTEM, "client-id"),
        secret_from(account.client_secret_env, ctx, SYSTEM, "client-secret"),
        "form",
    )
    query = {
        "includeDetailedScans": True,
        "trackingInfo": [{"trackingNumberInfo": {"trackingNumber": number}}],
    }

    async def send(token: str) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {token}", "X-locale": "en_US", "Accept": "application/json"}
        return await request_json(
            SYSTEM,
            "POST",
            f"{base}/track/v1/trackingnumbers",
            headers=headers,
            json=query,
            what=f"tracking number {number}",
            timeout=timeout,
            idempotent=True,  # a tracking query sent as POST: nothing is written
        )

    return parse(await with_bearer(oauth, timeout, send), number)
