"""UPS Tracking API v1: `GET /api/track/v1/details/{inquiryNumber}` with an OAuth bearer token.

The token comes from `POST /security/v1/oauth/token` (HTTP Basic client credentials, form body).
Activities are newest first; their times are local (`YYYYMMDD`, `HHMMSS`) with a `gmtOffset`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
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
    place,
    with_offset,
)
from tools.errors import NotFound
from tools.http import request_json

SYSTEM = "ups"
TRANSACTION_SOURCE = "support-graph"
_TYPES: dict[str, TrackingStatus] = {
    "D": "delivered",
    "I": "in_transit",
    "P": "in_transit",
    "M": "pre_transit",
    "MV": "pre_transit",
    "X": "exception",
    "RS": "returned",
}
OUT_FOR_DELIVERY_CODES = frozenset({"OT", "OF"})


def status_of(status: Mapping[str, Any]) -> TrackingStatus:
    if str(status.get("code", "")).upper() in OUT_FOR_DELIVERY_CODES or status.get("statusCode") == "021":
        return "out_for_delivery"
    return _TYPES.get(str(status.get("type", "")).upper(), "unknown")


def _local_time(day: object, clock: object, offset: object) -> datetime | None:
    if not isinstance(day, str) or len(day) != 8 or not day.isdigit():
        return None
    hhmmss = clock.zfill(6) if isinstance(clock, str) and clock.isdigit() else "000000"
    try:
        moment = datetime.strptime(day + hhmmss[:6], "%Y%m%d%H%M%S")
    except ValueError:
        return None
    return with_offset(moment, offset if isinstance(offset, str) else None)


def _event(activity: Mapping[str, Any]) -> TrackingEvent:
    address = (activity.get("location") or {}).get("address") or {}
    return TrackingEvent(
        description=str((activity.get("status") or {}).get("description") or ""),
        time=_local_time(activity.get("date"), activity.get("time"), activity.get("gmtOffset")),
        place=place(address.get("city"), address.get("stateProvince"), address.get("countryCode")),
    )


def _dates(package: Mapping[str, Any]) -> dict[str, str]:
    return {
        str(d.get("type")): str(d.get("date"))
        for d in package.get("deliveryDate") or []
        if isinstance(d, dict)
    }


def parse(body: Mapping[str, Any], number: str) -> TrackingResult:
    """Normalise a `trackResponse`; a response with no package is not found."""
    shipments = (body.get("trackResponse") or {}).get("shipment") or [{}]
    packages = shipments[0].get("package") or []
    if not packages:
        raise NotFound(SYSTEM, f"tracking number {number}")
    package = packages[0]
    activities = [a for a in package.get("activity") or [] if isinstance(a, dict)]
    events = [_event(a) for a in activities]
    current = package.get("currentStatus") or (activities[0].get("status") if activities else {}) or {}
    status = status_of(current)
    newest = latest(events)
    dates = _dates(package)
    delivered_at: datetime | None = None
    if status == "delivered" and "DEL" in dates:
        end = (package.get("deliveryTime") or {}).get("endTime")
        offset = activities[0].get("gmtOffset") if activities else None
        delivered_at = _local_time(dates["DEL"], end, offset) or (newest.time if newest else None)
    estimate: date | None = (
        None if status == "delivered" else parse_date(dates.get("RDD") or dates.get("SDD"))
    )
    return TrackingResult("ups", number, status, newest, estimate, delivered_at)


async def track(number: str, account: OAuthCarrier, ctx: BrandContext) -> TrackingResult:
    """Track one UPS number with the brand's UPS account."""
    settings = get_settings()
    base, timeout = settings.carrier(SYSTEM), settings.carrier_timeout_s
    oauth = OAuthClient(
        SYSTEM,
        f"{base}/security/v1/oauth/token",
        secret_from(account.client_id_env, ctx, SYSTEM, "client-id"),
        secret_from(account.client_secret_env, ctx, SYSTEM, "client-secret"),
        "basic_form",
    )

    async def send(token: str) -> dict[str, Any]:
        headers = {
            "Authorization": f"Bearer {token}",
            "transId": f"{ctx.conversation_id or 'lookup'}-{number}"[:32],
            "transactionSrc": TRANSACTION_SOURCE,
            "Accept": "application/json",
        }
        return await request_json(
            SYSTEM,
            "GET",
            f"{base}/api/track/v1/details/{quote(number, safe='')}",
            headers=headers,
            params={"locale": "en_US", "returnSignature": "false"},
            what=f"tracking number {number}",
            timeout=timeout,
        )

    return parse(await with_bearer(oauth, timeout, send), number)
