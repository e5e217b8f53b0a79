"""Sandbox DHL: Shipment Tracking - Unified (`GET /track/shipments`), authenticated by API key.

- `GET /track/shipments?trackingNumber=...` with header `DHL-API-Key: <key>` ->
  `{"shipments": [{"id", "service": "express", "origin", "destination", "status": {"timestamp",
  "location", "statusCode", "status", "description", "remark", "nextSteps"},
  "estimatedTimeOfDelivery", "details", "events": [...]}], "possibleAdditionalShipmentsUrl": [...]}`,
  events newest first, `statusCode` one of `pre-transit`, `transit`, `delivered`, `failure`, `unknown`.

Errors are RFC 7807 problem documents (`application/problem+json`): `{"status", "title", "detail"}`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse, Response

from sandbox.accounts import carrier_accounts
from sandbox.brands import demo_brands
from sandbox.carriers.gate import ErrorKind, Wire, build_app, note_account, store_of
from sandbox.carriers.seed import no_shipments
from sandbox.carriers.shipments import Event, Shipment, Status
from sandbox.carriers.store import CarrierStore

_ERRORS: dict[ErrorKind, tuple[int, str, str]] = {
    "bad_request": (400, "Bad Request", "Invalid input, trackingNumber is required."),
    "unauthorized": (401, "Unauthorized", "Unauthorized for given resource."),
    "not_found": (404, "No result found", "No shipment with given tracking number found."),
    "rate_limited": (429, "Too many requests", "Too many requests. Please try again later."),
    "server_error": (500, "Internal Server Error", "An unexpected error occurred."),
    "unavailable": (503, "Service Unavailable", "The service is temporarily unavailable."),
}
# (statusCode, status) per neutral status.
_STATUS: dict[Status, tuple[str, str]] = {
    "pre_transit": ("pre-transit", "SHIPMENT INFORMATION RECEIVED"),
    "in_transit": ("transit", "IN TRANSIT"),
    "out_for_delivery": ("transit", "WITH DELIVERY COURIER"),
    "delivered": ("delivered", "DELIVERED"),
    "exception": ("failure", "DELIVERY EXCEPTION"),
    "returned": ("failure", "RETURNED TO SHIPPER"),
}

router = APIRouter()


def error(kind: ErrorKind, detail: str = "", retry_after: int = 0) -> Response:
    status, title, text = _ERRORS[kind]
    headers = {"Retry-After": str(retry_after)} if kind in ("rate_limited", "unavailable") else None
    return JSONResponse(
        {"status": status, "title": title, "detail": text},
        status,
        headers,
        media_type="application/problem+json",
    )


def _place(event: Event) -> dict[str, Any]:
    locality = ", ".join(p for p in (event.city, event.region) if p)
    return {
        "address": {
            "countryCode": event.country or "",
            "postalCode": event.postal_code or "",
            "addressLocality": locality,
        }
    }


def _event(event: Event) -> dict[str, Any]:
    code, status = _STATUS[event.status]
    # The unified API writes local wall-clock time without an offset.
    return {
        "timestamp": event.time.replace(tzinfo=None).isoformat(),
        "location": _place(event),
        "statusCode": code,
        "status": status,
        "description": event.description,
    }


def shipment_json(shipment: Shipment) -> dict[str, Any]:
    events = shipment.newest_first()
    body: dict[str, Any] = {
        "id": shipment.tracking_number,
        "service": "express",
        "origin": _place(events[-1]),
        "status": _event(events[0]),
        "details": {"product": {"productName": shipment.service}, "totalNumberOfPieces": 1},
        "events": [_event(e) for e in events],
    }
    if shipment.delivered_at is None and shipment.estimated_delivery is not None:
        body["estimatedTimeOfDelivery"] = f"{shipment.estimated_delivery.isoformat()}T18:00:00Z"
        body["estimatedTimeOfDeliveryRemark"] = "By End of Day"
    if shipment.signed_by:
        body["details"]["proofOfDelivery"] = {"signed": {"name": shipment.signed_by}}
    return body


@router.get("/track/shipments")
async def shipments(request: Request) -> Response:
    account = store_of(request).account_for_key(request.headers.get("dhl-api-key", ""))
    if account is None:
        return error("unauthorized")
    note_account(request, account)
    number = request.query_params.get("trackingNumber", "").strip().upper()
    if not number:
        return error("bad_request")
    shipment = store_of(request).shipments.get(number)
    if shipment is None:
        return error("not_found")
    return JSONResponse(
        {
            "shipments": [shipment_json(shipment)],
            "possibleAdditionalShipmentsUrl": [f"/track/shipments?trackingNumber={number}&service=parcel-de"],
        }
    )


WIRE = Wire(name="dhl", tracking_prefixes=("/track/",), error=error)


def create_app(accounts: Mapping[str, str] | None = None) -> FastAPI:
    """A DHL sandbox (no seeded shipments); `accounts` (name -> API key) replace the dev ones."""
    store = CarrierStore(accounts=dict(accounts or carrier_accounts("dhl", demo_brands())), seed=no_shipments)
    return build_app(WIRE, store, [router])
