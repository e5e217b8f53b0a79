"""The commerce store's `/_admin/` API: read state and recorded requests, plant notes, set modes and
lost-answer faults.

No auth: the sandbox listens on loopback only. Admin calls are never recorded, delayed or refused
by a mode, so a test can always read what happened and switch the mode back.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException
from pydantic import BaseModel, ConfigDict, Field

from sandbox.commerce.access import store_of
from sandbox.commerce.shapes import Json
from sandbox.commerce.store import Answer, AnswerFault, CommerceStore, Mode, ModeSettings

router = APIRouter(prefix="/_admin")
Store = Annotated[CommerceStore, Depends(store_of)]


class ModeRequest(BaseModel):
    """A mode switch; `delay_ms` applies in `slow`, `fail_every` in `flaky`."""

    model_config = ConfigDict(extra="forbid")
    mode: Mode
    delay_ms: int = Field(default=1000, ge=0, le=60_000)
    fail_every: int = Field(default=2, ge=1)


class FaultRequest(BaseModel):
    """A lost answer for the next `times` requests of `method` whose path matches `path` (a regular
    expression, searched; `body`, when given, also searched in the request's body): the write is
    applied, then its answer is held back `delay_ms` or dropped."""

    model_config = ConfigDict(extra="forbid")
    method: str = Field(pattern=r"^(GET|POST|PUT|DELETE|PATCH)$")
    path: str = Field(min_length=1, max_length=500)
    answer: Answer
    delay_ms: int = Field(default=10_000, ge=0, le=600_000)
    times: int = Field(default=1, ge=1, le=1000)
    body: str | None = Field(default=None, min_length=1, max_length=500)


class NoteRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    note: str


class PlantRequest(BaseModel):
    """Free text for one field of an order (see `plant_order_field`)."""

    model_config = ConfigDict(extra="forbid")
    field: Literal["line_item_title", "customer_name", "address_line"]
    text: str = Field(max_length=10_000)


class SubscriptionPlantRequest(BaseModel):
    """Free text for a subscription's product title (see `plant_subscription_title`)."""

    model_config = ConfigDict(extra="forbid")
    text: str = Field(max_length=10_000)


@router.get("/state")
async def read_state(store: Store) -> Json:
    return store.state()


@router.get("/mode")
async def read_mode(store: Store) -> Json:
    return store.mode.as_json()


@router.post("/mode")
async def set_mode(store: Store, change: ModeRequest) -> Json:
    store.set_mode(ModeSettings(mode=change.mode, delay_ms=change.delay_ms, fail_every=change.fail_every))
    return store.mode.as_json()


@router.get("/faults")
async def read_faults(store: Store) -> dict[str, list[Json]]:
    return {"faults": [f.as_json() for f in store.faults]}


@router.post("/faults")
async def add_fault(store: Store, fault: FaultRequest) -> dict[str, list[Json]]:
    try:
        re.compile(fault.path)
        re.compile(fault.body or "")
    except re.error as exc:
        raise HTTPException(status_code=422, detail=f"path is not a regular expression: {exc}") from exc
    store.faults.append(AnswerFault(**fault.model_dump()))
    return {"faults": [f.as_json() for f in store.faults]}


@router.delete("/faults")
async def clear_faults(store: Store) -> dict[str, int]:
    deleted = len(store.faults)
    store.faults.clear()
    return {"deleted": deleted}


@router.get("/requests")
async def read_requests(store: Store) -> dict[str, list[dict[str, Any]]]:
    return {"requests": list(store.requests)}


@router.delete("/requests")
async def clear_requests(store: Store) -> dict[str, int]:
    deleted = len(store.requests)
    store.requests.clear()
    return {"deleted": deleted}


@router.post("/orders/{shop}/{order_number}/note")
async def plant_note(store: Store, shop: str, order_number: str, planted: NoteRequest) -> dict[str, Json]:
    """Set an order's `note` (free text a customer or attacker could have written)."""
    number = order_number.lstrip("#")
    order = store.order_by_number(shop, int(number)) if number.isdigit() else None
    if order is None:
        raise HTTPException(status_code=404, detail=f"no order {order_number!r} in shop {shop!r}")
    order["note"] = planted.note
    return {"order": order}


def _plant(order: Json, field: str, text: str) -> None:
    if field == "line_item_title":
        for item in order.get("line_items") or []:
            item["title"] = text
            item["name"] = f"{text} - {item.get('variant_title')}" if item.get("variant_title") else text
        for fulfillment in order.get("fulfillments") or []:
            for item in fulfillment.get("line_items") or []:
                item["title"] = text
        return
    addresses = [a for a in (order.get("shipping_address"), order.get("billing_address")) if a]
    if field == "customer_name":
        for holder in [*addresses, order.get("customer") or {}]:
            holder["first_name"], holder["last_name"] = text, ""
            if "name" in holder:
                holder["name"] = text
        return
    for address in addresses:  # address_line
        address["address1"] = text


@router.post("/orders/{shop}/{order_number}/plant")
async def plant_order_field(
    store: Store, shop: str, order_number: str, planted: PlantRequest
) -> dict[str, Json]:
    """Set one free-text field of an order, as an attacker who wrote it at checkout could have:
    `line_item_title` (every line item's `title` and `name`, in the order and its fulfillments),
    `customer_name` (the customer's and both addresses' names) or `address_line` (both addresses'
    `address1`)."""
    number = order_number.lstrip("#")
    order = store.order_by_number(shop, int(number)) if number.isdigit() else None
    if order is None:
        raise HTTPException(status_code=404, detail=f"no order {order_number!r} in shop {shop!r}")
    _plant(order, planted.field, planted.text)
    return {"order": order}


@router.post("/subscriptions/{shop}/{subscription_id}/plant")
async def plant_subscription_title(
    store: Store, shop: str, subscription_id: str, planted: SubscriptionPlantRequest
) -> dict[str, Json]:
    """Set a subscription's `product_title` (its line item, as Recharge names it)."""
    data = store.shops.get(shop)
    subscription = data.subscriptions.get(subscription_id) if data else None
    if subscription is None:
        raise HTTPException(status_code=404, detail=f"no subscription {subscription_id!r} in shop {shop!r}")
    subscription["product_title"] = planted.text
    return {"subscription": subscription}


@router.post("/reset")
async def reset(store: Store) -> dict[str, bool]:
    """Reseed the demo data and forget mode, recorded requests and idempotency keys."""
    store.reset()
    return {"reset": True}
