"""Sandbox tracking aggregator, EasyPost-style Trackers (the shape `../shared/data/api-shapes/easypost`).

- `POST /v2/trackers` body `{"tracker": {"tracking_code": str, "carrier": str?}}` -> 201 with a
  `Tracker`: `id` (`trk_...`, the same for the same code and carrier, as EasyPost deduplicates),
  `object`, `mode`, `tracking_code`, `status` (`unknown`, `pre_transit`, `in_transit`,
  `out_for_delivery`, `delivered`, `return_to_sender`, `failure`), `status_detail`,
  `est_delivery_date`, `carrier`, `signed_by`, `tracking_details[]` oldest first (`message`,
  `status`, `datetime` in UTC, `tracking_location`), `carrier_detail`, `public_url`, `fees`.
  A code the aggregator has no data for still gets a tracker, with status `unknown` and no details.
- `GET /v2/trackers/{id}` -> that tracker; `GET /v2/trackers?tracking_code=` -> `{"trackers", "has_more"}`.
- Auth: HTTP Basic with the API key as user name and an empty password (or `Bearer <key>`).

Errors are `{"error": {"code", "message", "errors": []}}`, EasyPost's error object.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse, Response

from sandbox.accounts import carrier_accounts
from sandbox.brands import demo_brands
from sandbox.carriers.gate import ErrorKind, Wire, build_app, note_account, store_of
from sandbox.carriers.seed import aggregator_shipments
from sandbox.carriers.shipments import Event, Shipment, Status
from sandbox.carriers.store import CarrierStore

_ERRORS: dict[ErrorKind, tuple[int, str, str]] = {
    "bad_request": (422, "PARAMETER.REQUIRED", "Missing required parameter."),
    "unauthorized": (
        401,
        "APIKEY.INACTIVE",
        "This api key is no longer active. Please use a different api key.",
    ),
    "not_found": (404, "NOT_FOUND", "The requested resource could not be found."),
    "rate_limited": (429, "RATE_LIMITED", "You have exceeded the rate limit. Please wait and try again."),
    "server_error": (500, "INTERNAL_SERVER_ERROR", "We're sorry, something went wrong."),
    "unavailable": (503, "SERVICE_UNAVAILABLE", "The service is temporarily unavailable."),
}
_STATUS: dict[Status, tuple[str, str]] = {
    "pre_transit": ("pre_transit", "label_created"),
    "in_transit": ("in_transit", "arrived_at_facility"),
    "out_for_delivery": ("out_for_delivery", "out_for_delivery"),
    "delivered": ("delivered", "arrived_at_destination"),
    "exception": ("failure", "unknown"),
    "returned": ("return_to_sender", "return"),
}
CREATED_AT = "2026-11-13T08:30:00Z"

router = APIRouter()


@dataclass
class AggregatorStore(CarrierStore):
    """A carrier store that also remembers which trackers were created: id -> (code, carrier)."""

    trackers: dict[str, tuple[str, str]] = field(default_factory=dict)

    def reset(self) -> None:
        super().reset()
        self.trackers.clear()


def error(kind: ErrorKind, detail: str = "", retry_after: int = 0) -> Response:
    status, code, message = _ERRORS[kind]
    headers = {"Retry-After": str(retry_after)} if kind in ("rate_limited", "unavailable") else None
    return JSONResponse({"error": {"code": code, "message": message, "errors": []}}, status, headers)


def _key(request: Request) -> str:
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer":
        return value.strip()
    if scheme.lower() != "basic":
        return ""
    try:
        user, _, _ = base64.b64decode(value.strip(), validate=True).decode("utf-8").partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return ""
    return user


def _authorised(request: Request) -> bool:
    account = store_of(request).account_for_key(_key(request))
    if account is not None:
        note_account(request, account)
    return account is not None


def _z(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _detail(event: Event, carrier: str) -> dict[str, Any]:
    status, detail = _STATUS[event.status]
    return {
        "object": "TrackingDetail",
        "message": event.description,
        "description": "",
        "status": status,
        "status_detail": detail,
        "datetime": _z(event.time),
        "source": carrier,
        "carrier_code": "",
        "tracking_location": {
            "object": "TrackingLocation",
            "city": event.city,
            "state": event.region,
            "country": event.country,
            "zip": event.postal_code,
        },
        "est_delivery_date": None,
    }


def tracker_id(code: str, carrier: str) -> str:
    return "trk_" + hashlib.sha256(f"{code}|{carrier}".encode()).hexdigest()[:32]


def tracker_json(code: str, carrier: str, shipment: Shipment | None) -> dict[str, Any]:
    events = list(reversed(shipment.newest_first())) if shipment else []
    status, detail = _STATUS[shipment.status] if shipment else ("unknown", "unknown")
    estimate = shipment.estimated_delivery if shipment and shipment.delivered_at is None else None
    updated = _z(events[-1].time) if events else CREATED_AT
    return {
        "id": tracker_id(code, carrier),
        "object": "Tracker",
        "mode": "test",
        "tracking_code": code,
        "status": status,
        "status_detail": detail,
        "created_at": CREATED_AT,
        "updated_at": updated,
        "signed_by": shipment.signed_by if shipment else None,
        "weight": None,
        "est_delivery_date": f"{estimate.isoformat()}T00:00:00Z" if estimate else None,
        "shipment_id": None,
        "carrier": carrier,
        "tracking_details": [_detail(e, carrier) for e in events],
        "fees": [],
        "carrier_detail": {
            "object": "CarrierDetail",
            "service": shipment.service if shipment else None,
            "container_type": None,
            "origin_location": None,
            "destination_location": None,
        },
        "public_url": f"https://track.example.test/{tracker_id(code, carrier)}",
    }


def _tracker(request: Request, code: str, carrier: str) -> dict[str, Any]:
    shipment = store_of(request).shipments.get(code)
    return tracker_json(
        code, carrier or (shipment.carrier if shipment and shipment.carrier else ""), shipment
    )


@router.post("/v2/trackers")
async def create_tracker(request: Request) -> Response:
    if not _authorised(request):
        return error("unauthorized")
    try:
        body = await request.json()
    except ValueError:
        body = None
    tracker = body.get("tracker") if isinstance(body, dict) else None
    code = tracker.get("tracking_code") if isinstance(tracker, dict) else None
    if not isinstance(code, str) or not code.strip():
        return error("bad_request")
    carrier = tracker.get("carrier") if isinstance(tracker, dict) else None
    created = _tracker(request, code.strip().upper(), carrier if isinstance(carrier, str) else "")
    store: AggregatorStore = request.app.state.store
    store.trackers[created["id"]] = (created["tracking_code"], created["carrier"])
    return JSONResponse(created, 201)


@router.get("/v2/trackers/{tracker_id_}")
async def retrieve_tracker(request: Request, tracker_id_: str) -> Response:
    if not _authorised(request):
        return error("unauthorized")
    store: AggregatorStore = request.app.state.store
    known = store.trackers.get(tracker_id_)
    if known is None:
        return error("not_found")
    return JSONResponse(_tracker(request, *known))


@router.get("/v2/trackers")
async def list_trackers(request: Request) -> Response:
    if not _authorised(request):
        return error("unauthorized")
    store: AggregatorStore = request.app.state.store
    code = request.query_params.get("tracking_code", "").strip().upper()
    found = [_tracker(request, c, k) for c, k in store.trackers.values() if not code or c == code]
    return JSONResponse({"trackers": found, "has_more": False})


WIRE = Wire(name="aggregator", tracking_prefixes=("/v2/",), error=error)


def create_app(accounts: Mapping[str, str] | None = None) -> FastAPI:
    """An aggregator sandbox that knows only Royal Mail `RB123456785GB`; `accounts` (name -> key)."""
    store = AggregatorStore(
        accounts=dict(accounts or carrier_accounts("aggregator", demo_brands())), seed=aggregator_shipments
    )
    return build_app(WIRE, store, [router])
