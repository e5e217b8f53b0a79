"""Sandbox UPS: the UPS Tracking API v1 and its OAuth token endpoint.

- `POST /security/v1/oauth/token`: HTTP Basic `client_id:client_secret`, form
  `grant_type=client_credentials` -> `{"token_type": "Bearer", "issued_at", "client_id",
  "access_token", "expires_in", "status": "approved"}` (UPS writes the numbers as strings).
- `GET /api/track/v1/details/{inquiryNumber}` with `Authorization: Bearer <token>` ->
  `{"trackResponse": {"shipment": [{"inquiryNumber", "package": [{"trackingNumber", "activity",
  "currentStatus", "deliveryDate", "deliveryTime", ...}]}]}}`, activities newest first, dates as
  `YYYYMMDD` and times as `HHMMSS` local, with `gmtOffset`.

Errors are `{"response": {"errors": [{"code", "message"}]}}`, as in UPS's published spec.
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
from sandbox.carriers.oauth import basic_credentials, bearer_account, body_fields, client_account
from sandbox.carriers.seed import ups_shipments
from sandbox.carriers.shipments import Event, Shipment, Status
from sandbox.carriers.store import TOKEN_LIFETIME_S, CarrierStore

_ERRORS: dict[ErrorKind, tuple[int, str, str]] = {
    "bad_request": (400, "151018", "Invalid request"),
    "unauthorized": (401, "250002", "Invalid Authentication Information."),
    "not_found": (404, "151044", "Tracking Information Not Found"),
    "rate_limited": (429, "10429", "Too Many Requests"),
    "server_error": (500, "10500", "Internal Server Error"),
    "unavailable": (503, "10503", "Resource is not available"),
}
# (type, code, statusCode) per neutral status, as UPS activities carry them.
_STATUS: dict[Status, tuple[str, str, str]] = {
    "pre_transit": ("M", "MP", "003"),
    "in_transit": ("I", "AR", "005"),
    "out_for_delivery": ("I", "OT", "021"),
    "delivered": ("D", "FS", "011"),
    "exception": ("X", "X7", "007"),
    "returned": ("RS", "RS", "034"),
}

router = APIRouter()


def error(kind: ErrorKind, detail: str = "", retry_after: int = 0) -> Response:
    status, code, message = _ERRORS[kind]
    headers = {"Retry-After": str(retry_after)} if kind in ("rate_limited", "unavailable") else None
    return JSONResponse({"response": {"errors": [{"code": code, "message": message}]}}, status, headers)


@router.post("/security/v1/oauth/token")
async def token(request: Request) -> Response:
    fields = await body_fields(request)
    credentials = basic_credentials(request)
    if fields.get("grant_type") != "client_credentials":
        return JSONResponse(
            {"response": {"errors": [{"code": "10400", "message": "Invalid/Missing grant_type"}]}}, 400
        )
    if credentials is None or client_account(request, *credentials) is None:
        return JSONResponse(
            {"response": {"errors": [{"code": "10401", "message": "ClientId is Invalid"}]}}, 401
        )
    client_id = credentials[0]
    return JSONResponse(
        {
            "token_type": "Bearer",
            "issued_at": str(int(time.time() * 1000)),
            "client_id": client_id,
            "access_token": store_of(request).issue_token(client_id),
            "expires_in": str(TOKEN_LIFETIME_S),
            "refresh_count": "0",
            "status": "approved",
        }
    )


def _address(event: Event) -> dict[str, str]:
    address = {
        "city": event.city or "",
        "stateProvince": event.region or "",
        "postalCode": event.postal_code or "",
    }
    return {**address, "countryCode": event.country or "", "country": event.country or ""}


def _status(status: Status, description: str) -> dict[str, str]:
    kind, code, status_code = _STATUS[status]
    return {"type": kind, "description": description, "code": code, "statusCode": status_code}


def _activity(event: Event) -> dict[str, Any]:
    utc = event.utc()
    return {
        "location": {"address": _address(event), "slic": ""},
        "status": _status(event.status, event.description),
        "date": event.time.strftime("%Y%m%d"),
        "time": event.time.strftime("%H%M%S"),
        "gmtDate": utc.strftime("%Y%m%d"),
        "gmtOffset": event.time.strftime("%z")[:3] + ":" + event.time.strftime("%z")[3:],
        "gmtTime": utc.strftime("%H%M%S"),
    }


def _delivery(shipment: Shipment) -> tuple[list[dict[str, str]], dict[str, str] | None]:
    delivered = shipment.delivered_at
    if delivered is not None:
        return [{"type": "DEL", "date": delivered.strftime("%Y%m%d")}], {
            "type": "DEL",
            "endTime": delivered.strftime("%H%M%S"),
        }
    if shipment.estimated_delivery is not None:
        return [{"type": "SDD", "date": shipment.estimated_delivery.strftime("%Y%m%d")}], {"type": "EOD"}
    return [], None


def track_response(shipment: Shipment) -> dict[str, Any]:
    latest = shipment.latest
    dates, window = _delivery(shipment)
    package: dict[str, Any] = {
        "trackingNumber": shipment.tracking_number,
        "activity": [_activity(e) for e in shipment.newest_first()],
        "currentStatus": {
            **_status(latest.status, latest.description),
            "simplifiedTextDescription": latest.description,
        },
        "deliveryDate": dates,
        "packageCount": 1,
        "service": {"code": "001", "description": shipment.service},
        "weight": {"unitOfMeasurement": "LBS", "weight": "2.40"},
    }
    if window is not None:
        package["deliveryTime"] = window
    if shipment.signed_by:
        package["deliveryInformation"] = {"receivedBy": shipment.signed_by}
    return {
        "trackResponse": {"shipment": [{"inquiryNumber": shipment.tracking_number, "package": [package]}]}
    }


@router.get("/api/track/v1/details/{inquiry_number}")
async def details(request: Request, inquiry_number: str) -> Response:
    if bearer_account(request) is None:
        return error("unauthorized")
    shipment = store_of(request).shipments.get(inquiry_number.strip().upper())
    if shipment is None:
        return error("not_found")
    return JSONResponse(track_response(shipment))


WIRE = Wire(name="ups", tracking_prefixes=("/api/track/",), error=error)


def create_app(accounts: Mapping[str, str] | None = None) -> FastAPI:
    """A UPS sandbox with its seeded shipments; `accounts` (client id -> secret) replace the dev ones."""
    store = CarrierStore(
        accounts=dict(accounts or carrier_accounts("ups", demo_brands())), seed=ups_shipments
    )
    return build_app(WIRE, store, [router])
