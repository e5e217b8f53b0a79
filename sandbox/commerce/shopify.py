"""Shopify Admin REST API, version 2024-10, read side: orders and their fulfillments.

`GET /shops/{shop}/admin/api/2024-10/orders.json` filters by `name` (with or without the leading
'#'), `email` (case-insensitive) and `status` (`open` by default, as Shopify: paid and fulfilled
orders are closed, so a lookup must pass `status=any`), newest first, at most `limit` (50, max 250).
"""

from __future__ import annotations

from typing import Annotated, Literal, get_args

from fastapi import APIRouter, Depends, HTTPException, Query, Request

from sandbox.commerce.access import NOT_FOUND, authorised_shop
from sandbox.commerce.shapes import Json, ShopData

API_VERSION = "2024-10"
PREFIX = f"/shops/{{shop}}/admin/api/{API_VERSION}"
OrderStatus = Literal["open", "closed", "cancelled", "any"]

router = APIRouter(prefix=PREFIX)


def shopify_shop(request: Request, shop: str) -> ShopData:
    return authorised_shop(request, shop, "shopify")


Shop = Annotated[ShopData, Depends(shopify_shop)]


def has_status(order: Json, status: str) -> bool:
    if status == "open":
        return order["closed_at"] is None and order["cancelled_at"] is None
    if status == "closed":
        return order["closed_at"] is not None
    if status == "cancelled":
        return order["cancelled_at"] is not None
    return status == "any"


def matches(order: Json, name: str | None, email: str | None) -> bool:
    if name is not None and order["name"].lstrip("#") != name.strip().lstrip("#"):
        return False
    return email is None or (order["email"] or "").lower() == email.strip().lower()


def order_in(data: ShopData, order_id: str) -> Json:
    """Return the shop's order with that numeric id; another shop's order is as unknown as none."""
    order = data.orders.get(int(order_id)) if order_id.isdigit() else None
    if order is None:
        raise HTTPException(status_code=404, detail=NOT_FOUND)
    return order


@router.get("/orders.json")
async def list_orders(
    data: Shop,
    name: str | None = None,
    email: str | None = None,
    status: str = "open",
    limit: Annotated[int, Query(ge=1, le=250)] = 50,
) -> dict[str, list[Json]]:
    if status not in get_args(OrderStatus):
        raise HTTPException(status_code=400, detail={"status": ["is not included in the list"]})
    found = [o for o in data.orders.values() if has_status(o, status) and matches(o, name, email)]
    found.sort(key=lambda o: o["created_at"], reverse=True)
    return {"orders": found[:limit]}


@router.get("/orders/{order_id}.json")
async def get_order(data: Shop, order_id: str) -> dict[str, Json]:
    return {"order": order_in(data, order_id)}


@router.get("/orders/{order_id}/fulfillments.json")
async def list_fulfillments(data: Shop, order_id: str) -> dict[str, list[Json]]:
    return {"fulfillments": order_in(data, order_id)["fulfillments"]}
