"""Sandbox FedEx: the FedEx Track API (track by tracking number) and its OAuth token endpoint.

- `POST /oauth/token`, form `grant_type=client_credentials&client_id=...&client_secret=...` ->
  `{"access_token", "token_type": "bearer", "expires_in", "scope": "CXS"}`.
- `POST /track/v1/trackingnumbers` with `Authorization: Bearer <token>`, body
  `{"includeDetailedScans": true, "trackingInfo": [{"trackingNumberInfo": {"trackingNumber": ...}}]}`
  -> `{"transactionId", "output": {"completeTrackResults": [{"trackingNumber", "trackResults": [...]}]}}`.
  An unknown number is, as at FedEx, a 200 whose track result holds
  `error: {"code": "TRACKING.TRACKINGNUMBER.NOTFOUND", ...}`.

Errors are `{"transactionId", "errors": [{"code", "message"}]}` with the codes of FedEx's spec.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse, Response

from sandbox.accounts import carrier_accounts
from sandbox.brands import demo_brands
from sandbox.carriers.gate import ErrorKind, Wire, build_app, store_of
from sandbox.carriers.oauth import bearer_account, body_fields, client_account
from sandbox.carriers.seed import no_shipments
from sandbox.carriers.shipments import Event, Shipment, Status
from sandbox.carriers.store import TOKEN_LIFETIME_S, CarrierStore

_ERRORS: dict[ErrorKind, tuple[int, str, str]] = {
    "bad_request": (400, "TRACKING.TRACKINGNUMBER.EMPTY", "Please provide tracking number."),
    "unauthorized": (401, "NOT.AUTHORIZED.ERROR", "Access token expired. Please modify your request and try again."),
    "not_found": (404, "NOT.FOUND.ERROR",
                  "The resource you requested is no longer available. Please modify your request and try again."),
    "rate_limited": (429, "TOO.MANY.REQUESTS.ERROR",
                     "We have received too many requests in a short duration. Please wait a while to try again."),
    "server_error": (500, "INTERNAL.SERVER.ERROR",
                     "We encountered an unexpected error and are working to resolve the issue. "
                     "We apologize for any inconvenience. Please check back at a later time."),
    "unavailable": (503, "SERVICE.UNAVAILABLE.ERROR",
                    "The service is currently unavailable and we are working to resolve the issue. "
                    "We apologize for any inconvenience. Please check back at a later time."),
}  # fmt: skip
BAD_CLIENT = "The given client credentials were not valid. Please modify your request and try again."
NOT_FOUND_RESULT = {
    "code": "TRACKING.TRACKINGNUMBER.NOTFOUND",
    "message": "Tracking number cannot be found. Please correct the tracking number and try again.",
}
# (eventType / code, derivedStatusCode, derivedStatus) per neutral status.
_STATUS: dict[Status, tuple[str, str, str]] = {
    "pre_transit": ("OC", "IN", "Initiated"),
    "in_transit": ("IT", "IT", "In transit"),
    "out_for_delivery": ("OD", "OD", "On FedEx vehicle for delivery"),
    "delivered": ("DL", "DL", "Delivered"),
    "exception": ("DE", "DE", "Delivery exception"),
    "returned": ("RS", "RS", "Return to shipper"),
}

router = APIRouter()


def _errors(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> Response:
    body = {"transactionId": str(uuid.uuid4()), "errors": [{"code": code, "message": message}]}
    return JSONResponse(body, status, headers)


def error(kind: ErrorKind, detail: str = "", retry_after: int = 0) -> Response:
    status, code, message = _ERRORS[kind]
    headers = {"Retry-After": str(retry_after)} if kind in ("rate_limited", "unavailable") else None
    return _errors(status, code, message, headers)


@router.post("/oauth/token")
async def token(request: Request) -> Response:
    fields = await body_fields(request)
    if fields.get("grant_type") != "client_credentials":
        return _errors(
            400,
            "BAD.REQUEST.ERROR",
            "Missing or duplicate parameters. Please modify your request and try again.",
        )
    client_id, secret = fields.get("client_id", ""), fields.get("client_secret", "")
    if client_account(request, client_id, secret) is None:
        return _errors(401, "NOT.AUTHORIZED.ERROR", BAD_CLIENT)
    access = store_of(request).issue_token(client_id)
    return JSONResponse(
        {"access_token": access, "token_type": "bearer", "expires_in": TOKEN_LIFETIME_S, "scope": "CXS"}
    )


def _address(event: Event) -> dict[str, Any]:
    return {
        "city": event.city or "",
        "stateOrProvinceCode": event.region or "",
        "postalCode": event.postal_code or "",
        "countryCode": event.country or "",
        "residential": False,
    }


def _scan(event: Event) -> dict[str, Any]:
    code, derived, derived_text = _STATUS[event.status]
    return {
        "date": event.time.isoformat(),
        "eventType": code,
        "eventDescription": event.description,
        "exceptionCode": "",
        "exceptionDescription": "",
        "scanLocation": _address(event),
        "locationType": "FEDEX_FACILITY",
        "derivedStatusCode": derived,
        "derivedStatus": derived_text,
    }


def _dates(shipment: Shipment) -> list[dict[str, str]]:
    oldest = shipment.newest_first()[-1]
    dates = [{"type": "ACTUAL_TENDER", "dateTime": oldest.time.isoformat()}]
    if shipment.delivered_at is not None:
        dates.append({"type": "ACTUAL_DELIVERY", "dateTime": shipment.delivered_at.isoformat()})
    elif shipment.estimated_delivery is not None:
        dates.append(
            {"type": "ESTIMATED_DELIVERY", "dateTime": f"{shipment.estimated_delivery.isoformat()}T00:00:00"}
        )
    return dates


def track_result(shipment: Shipment) -> dict[str, Any]:
    latest = shipment.latest
    code, derived, derived_text = _STATUS[latest.status]
    return {
        "trackingNumberInfo": {"trackingNumber": shipment.tracking_number, "carrierCode": "FDXE"},
        "latestStatusDetail": {
            "code": code,
            "derivedCode": derived,
            "statusByLocale": derived_text,
            "description": latest.description,
            "scanLocation": _address(latest),
        },
        "dateAndTimes": _dates(shipment),
        "serviceDetail": {"type": "FEDEX_GROUND", "description": shipment.service},
        "scanEvents": [_scan(e) for e in shipment.newest_first()],
        "deliveryDetails": {"receivedByName": shipment.signed_by or ""},
    }


def _numbers(body: Any) -> list[str]:
    infos = body.get("trackingInfo") if isinstance(body, dict) else None
    if not isinstance(infos, list):
        return []
    numbers = [
        ((i or {}).get("trackingNumberInfo") or {}).get("trackingNumber")
        for i in infos
        if isinstance(i, dict)
    ]
    return [n for n in numbers if isinstance(n, str) and n.strip()]


@router.post("/track/v1/trackingnumbers")
async def track(request: Request) -> Response:
    if bearer_account(request) is None:
        return error("unauthorized")
    try:
        numbers = _numbers(await request.json())
    except ValueError:
        numbers = []
    if not numbers:
        return error("bad_request")
    results = []
    for number in numbers:
        shipment = store_of(request).shipments.get(number.strip().upper())
        result = track_result(shipment) if shipment else {
            "trackingNumberInfo": {"trackingNumber": number}, "error": NOT_FOUND_RESULT,
        }  # fmt: skip
        results.append({"trackingNumber": number, "trackResults": [result]})
    return JSONResponse({"transactionId": str(uuid.uuid4()), "output": {"completeTrackResults": results}})


WIRE = Wire(name="fedex", tracking_prefixes=("/track/",), error=error)


def create_app(accounts: Mapping[str, str] | None = None) -> FastAPI:
    """A FedEx sandbox (no seeded shipments); `accounts` (client id -> secret) replace the dev ones."""
    store = CarrierStore(
        accounts=dict(accounts or carrier_accounts("fedex", demo_brands())), seed=no_shipments
    )
    return build_app(WIRE, store, [router])
