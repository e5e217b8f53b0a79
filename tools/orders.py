"""Order tools over the Shopify Admin REST API (orders and their fulfilments)."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, Field

from brands import BrandConfig
from brands.context import BrandContext
from routing.ids import ORDER_DIGITS, order_name
from tools import third_party
from tools.carriers.lookup import describe_lookups, track_order
from tools.commerce import belongs_to, shopify
from tools.errors import NotFound
from tools.http import request_json
from tools.spec import ToolResult, ToolSpec
from tools.third_party import of_order


class OrderArgs(BaseModel):
    order_number: str = Field(pattern=rf"\b{ORDER_DIGITS}\b", description="order number, e.g. 1001")


def named_order(args: Mapping[str, Any], brand: BrandConfig) -> str | None:
    """The store's name of the order a call's arguments name ("1001" -> "#1001" for acme), or None."""
    found = re.search(ORDER_DIGITS, str(args.get("order_number") or ""))
    naming = brand.commerce.order_name
    return order_name(found.group(0), naming.prefix, naming.suffix) if found else None


def _fulfilment_line(f: dict[str, Any]) -> str:
    number = f.get("tracking_number") or ", ".join(f.get("tracking_numbers") or []) or "none"
    status = (f.get("shipment_status") or f.get("status") or "unknown").replace("_", " ")
    return f"shipped with {f.get('tracking_company') or 'an unnamed carrier'}, tracking number {number}, shipment status {status}"


def describe_order(order: dict[str, Any]) -> str:
    """One plain sentence the model can repeat: payment, fulfilment, shipping and note of an order."""
    fulfilment = order.get("fulfillment_status") or "unfulfilled (not shipped yet)"
    parts = [f"Order {order['name']}: payment {order.get('financial_status')}", f"fulfilment {fulfilment}"]
    parts += [_fulfilment_line(f) for f in order.get("fulfillments") or []]
    if order.get("note"):  # free text anyone could have written: quoted, so it reads as a value
        parts.append(f"note on the order: {json.dumps(order['note'], ensure_ascii=False)}")
    return "; ".join(parts) + "."


async def find_order(order_number: str, ctx: BrandContext) -> dict[str, Any]:
    """Return the customer's order by number; another customer's order is not found. The store is
    asked by the order's name in the brand's format (`commerce.order_name`: "#1001", "AC-1001-EU")."""
    base, headers = shopify(ctx)
    naming = ctx.brand.commerce.order_name
    name = order_name(order_number.lstrip("#"), naming.prefix, naming.suffix)
    what = f"order {order_number}"
    body = await request_json(
        "shopify",
        "GET",
        f"{base}/orders.json",
        headers=headers,
        what=what,
        params={"name": name, "status": "any"},
    )
    for order in body.get("orders", []):
        if belongs_to(order.get("email"), ctx):
            return order
    raise NotFound("shopify", what)


async def _get_order(args: OrderArgs, ctx: BrandContext) -> ToolResult:
    """The order's sentence, then one live-tracking line per parcel; the costed lookups as artifact."""
    order = await find_order(args.order_number, ctx)
    lookups = await track_order(order, ctx)
    text = "\n".join([describe_order(order), *describe_lookups(lookups)])
    events = [lk.result.last_event.description for lk in lookups if lk.result and lk.result.last_event]
    untrusted = [*of_order(order), *third_party.untrusted("carrier_event", events)]
    return ToolResult(text, {"lookups": [lookup.as_fact() for lookup in lookups]}, untrusted)


GET_ORDER = ToolSpec(
    name="get_order",
    description="Look up where one of the customer's orders or packages is, by order number: payment, fulfilment, carrier and tracking.",
    args_schema=OrderArgs,
    body=_get_order,
)
