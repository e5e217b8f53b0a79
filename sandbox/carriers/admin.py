"""The `/_admin/` API every sandbox carrier shares: state, modes, recorded requests, plant, reset.

No auth: the sandbox listens on loopback only. Admin calls are never recorded, delayed or refused
by a mode, so a test can always read what happened and switch the mode back.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, Field

from sandbox.carriers.gate import store_of
from sandbox.carriers.shipments import Shipment
from sandbox.carriers.store import CarrierStore, Json, Mode, ModeSettings

router = APIRouter(prefix="/_admin")
Store = Annotated[CarrierStore, Depends(store_of)]


class ModeRequest(BaseModel):
    """A mode switch. `delay_ms` applies in `slow`, `fail_every` in `flaky`, `retry_after` in
    `rate_limited`; `times` makes a failing mode fail only the next N tracking requests."""

    model_config = ConfigDict(extra="forbid")
    mode: Mode
    delay_ms: int = Field(default=1000, ge=0, le=60_000)
    fail_every: int = Field(default=2, ge=1)
    retry_after: int = Field(default=1, ge=0, le=3600)
    times: int | None = Field(default=None, ge=1)


@router.get("/state")
async def read_state(store: Store) -> Json:
    return store.state()


@router.get("/mode")
async def read_mode(store: Store) -> Json:
    return store.mode.as_json()


@router.post("/mode")
async def set_mode(store: Store, change: ModeRequest) -> Json:
    store.set_mode(ModeSettings(**change.model_dump()))
    return store.mode.as_json()


@router.get("/requests")
async def read_requests(store: Store) -> dict[str, list[Json]]:
    return {"requests": list(store.requests)}


@router.delete("/requests")
async def clear_requests(store: Store) -> dict[str, int]:
    deleted = len(store.requests)
    store.requests.clear()
    return {"deleted": deleted}


@router.post("/plant")
async def plant(store: Store, shipment: Shipment) -> dict[str, Json]:
    """Set (or replace) what this carrier knows about one tracking number."""
    store.shipments[shipment.tracking_number] = shipment
    return {"shipment": shipment.model_dump(mode="json")}


@router.post("/tokens/expire")
async def expire_tokens(store: Store) -> dict[str, int]:
    """Invalidate every issued OAuth token, as if they had all expired."""
    expired = len(store.tokens)
    store.tokens.clear()
    return {"expired": expired}


@router.post("/reset")
async def reset(store: Store) -> dict[str, bool]:
    """Reseed the shipments and forget mode, recorded requests and tokens."""
    store.reset()
    return {"reset": True}
