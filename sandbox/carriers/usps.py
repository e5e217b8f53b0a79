"""Sandbox USPS: Tracking v3 ("Package Tracking and Notification") and its OAuth 2.0 v3 token endpoint.

- `POST /oauth2/v3/token`, JSON or form `{"grant_type": "client_credentials", "client_id",
  "client_secret"}` -> `{"access_token", "token_type": "Bearer", "issued_at", "expires_in",
  "status": "approved", "scope", "issuer", "client_id", ...}`; bad credentials are 401
  `{"error": "invalid_client", "error_description": ...}` (RFC 6749).
- `GET /tracking/v3/tracking/{trackingNumber}?expand=DETAIL` with `Authorization: Bearer <token>`
  -> the tracking details object: `trackingNumber`, `status`, `statusCategory`, `statusSummary`,
  `expectedDeliveryTimeStamp`, `trackingEvents[]` newest first (`eventType`, local
  `eventTimestamp`, `GMTTimestamp`, `GMTOffset`, `eventCity`, `eventState`, `eventZIP`...).

Errors are `{"apiVersion": "/tracking/v3", "error": {"code", "message", "errors": [{"status",
"code", "title", "detail"}]}}`, the spec's `ErrorMessage`.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse, Response

from sandbox.accounts import carrier_accounts
from sandbox.brands import demo_brands
from sandbox.carriers.gate import ErrorKind, Wire, build_app, store_of
from sandbox.carriers.oauth import bearer_account, body_fields, client_account
from sandbox.carriers.seed import usps_shipments
from sandbox.carriers.shipments import Event, Shipment, Status
from sandbox.carriers.store import TOKEN_LIFETIME_S, CarrierStore

API_VERSION = "/tracking/v3"
_ERRORS: dict[ErrorKind, tuple[int, str, str]] = {
    "bad_request": (400, "Bad Request", "The request is invalid."),
    "unauthorized": (401, "Unauthorized", "The OAuth token is missing, invalid or expired."),
    "not_found": (404, "Not Found",
                  "The tracking number may be incorrect or the status update is not yet available. "
                  "Please verify your tracking number and try again later."),
    "rate_limited": (429, "Too Many Requests",
                     "Too many requests have been received from the client in a short amount of time."),
    "server_error": (500, "Internal Server Error", "An unknown error has occurred."),
    "unavailable": (503, "Service Unavailable", "The service is temporarily unavailable."),
}  # fmt: skip
# (statusCategory, eventCode) per neutral status, after USPS Pub 199.
_STATUS: dict[Status, tuple[str, str]] = {
    "pre_transit": ("Pre-Shipment", "GX"),
    "in_transit": ("In Transit", "T1"),
    "out_for_delivery": ("Out for Delivery", "OF"),
    "delivered": ("Delivered", "01"),
    "exception": ("Alert", "55"),
    "returned": ("Return to Sender", "09"),
}

router = APIRouter()


def error(kind: ErrorKind, detail: str = "", retry_after: int = 0) -> Response:
    status, title, text = _ERRORS[kind]
    headers: dict[str, str] = {}
    if kind in ("rate_limited", "unavailable"):
        headers["Retry-After"] = str(retry_after)
    if kind == "unauthorized":
        headers["WWW-Authenticate"] = 'Bearer realm="https://api.usps.com"'
    item = {"status": str(status), "code": str(status), "title": title, "detail": text}
    body = {"apiVersion": API_VERSION, "error": {"code": str(status), "message": title, "errors": [item]}}
    return JSONResponse(body, status, headers)


@router.post("/oauth2/v3/token")
async def token(request: Request) -> Response:
    fields = await body_fields(request)
    if fields.get("grant_type") != "client_credentials":
        return JSONResponse(
            {"error": "unsupported_grant_type", "error_description": "grant_type must be client_credentials"},
            400,
        )
    client_id, secret = fields.get("client_id", ""), fields.get("client_secret", "")
    if client_account(request, client_id, secret) is None:
        return JSONResponse(
            {"error": "invalid_client", "error_description": "Client authentication failed"}, 401
        )
    return JSONResponse(
        {
            "access_token": store_of(request).issue_token(client_id),
            "token_type": "Bearer",
            "issued_at": int(time.time() * 1000),
            "expires_in": TOKEN_LIFETIME_S,
            "status": "approved",
            "scope": "tracking",
            "issuer": "api.usps.com",
            "client_id": client_id,
            "application_name": "sandbox",
            "api_products": "[Public Access]",
        }
    )


def _offset(event: Event) -> str:
    raw = event.time.strftime("%z")
    return f"{raw[:3]}:{raw[3:]}"


def _event(event: Event) -> dict[str, Any]:
    return {
        "eventType": event.description,
        "eventTimestamp": event.time.replace(tzinfo=None).isoformat(),
        "GMTTimestamp": event.utc().strftime("%Y-%m-%dT%H:%M:%SZ"),
        "GMTOffset": _offset(event),
        "eventCountry": None if event.country in (None, "US") else event.country,
        "eventCity": event.city,
        "eventState": event.region,
        "eventZIP": event.postal_code,
        "firm": None,
        "name": None,
        "authorizedAgent": "false",
        "eventCode": _STATUS[event.status][1],
    }


def _summary(shipment: Shipment) -> str:
    latest = shipment.latest
    place = ", ".join(
        p for p in (latest.city, " ".join(filter(None, (latest.region, latest.postal_code)))) if p
    )
    t = latest.time
    when = f"{t.hour % 12 or 12}:{t:%M} {'am' if t.hour < 12 else 'pm'} on {t:%B %d, %Y}"
    return f"{latest.description} at {when}" + (f" in {place}." if place else ".")


def tracking_details(shipment: Shipment) -> dict[str, Any]:
    latest = shipment.latest
    details: dict[str, Any] = {
        "trackingNumber": shipment.tracking_number,
        "mailClass": shipment.service,
        "mailType": "DOMESTIC_MAIL",
        "status": latest.description,
        "statusCategory": _STATUS[latest.status][0],
        "statusSummary": _summary(shipment),
        "trackingEvents": [_event(e) for e in shipment.newest_first()],
    }
    if shipment.delivered_at is None and shipment.estimated_delivery is not None:
        details["expectedDeliveryTimeStamp"] = f"{shipment.estimated_delivery.isoformat()}T00:00:00Z"
    return details


@router.get("/tracking/v3/tracking/{tracking_number}")
async def tracking(request: Request, tracking_number: str) -> Response:
    if bearer_account(request) is None:
        return error("unauthorized")
    shipment = store_of(request).shipments.get(tracking_number.strip().upper())
    if shipment is None:
        return error("not_found")
    return JSONResponse(tracking_details(shipment))


WIRE = Wire(name="usps", tracking_prefixes=("/tracking/v3/",), error=error)


def create_app(accounts: Mapping[str, str] | None = None) -> FastAPI:
    """A USPS sandbox with its seeded shipments; `accounts` (client id -> secret) replace the dev ones."""
    store = CarrierStore(
        accounts=dict(accounts or carrier_accounts("usps", demo_brands())), seed=usps_shipments
    )
    return build_app(WIRE, store, [router])
