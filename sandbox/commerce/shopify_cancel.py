"""Shopify Admin REST API, version 2024-10: cancel an order.

`POST .../orders/{id}/cancel.json` takes, as Shopify does:
- `reason`: `customer`, `inventory`, `fraud`, `declined` or `other` (the default); another value is
  422 `{"errors": {"reason": ["is not included in the list"]}}`;
- `email` (boolean): whether the customer is notified;
- `refund`: a refund written with the cancellation, in the shape of `POST .../refunds.json`'s
  `refund` (`note`, `notify`, `shipping`, `refund_line_items` with `restock_type` `cancel`,
  `transactions`), validated the same way (`shopify_refunds.write_refund`);
- the deprecated `amount` (with `currency`) and `restock`: a refund of that amount against the
  order's sale, and every line restocked, when no `refund` is given.

The order gets `cancelled_at`, `cancel_reason`, `closed_at` (Shopify archives a cancelled order) and,
when money was refunded, `financial_status` `refunded` or `partially_refunded`; a cancelled order
that was not paid is `voided`. The answer is `{"order": {...}}`. An order with a fulfillment (shipped,
or part of it) is 422, as Shopify refuses to cancel a paid order with fulfillments; an order already
cancelled is 422 too (the sandbox's wording: `{"errors": {"base": [...]}}`). Honours
`Idempotency-Key` (see `idempotency`); the cancellation shows in `/_admin/state`.
"""

from __future__ import annotations

import copy
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse

from sandbox.commerce import idempotency
from sandbox.commerce.recharge import now_text
from sandbox.commerce.shapes import Json, ShopData
from sandbox.commerce.shopify import PREFIX, Shop, order_in
from sandbox.commerce.shopify_refunds import parse_amount, sale_of, write_refund

router = APIRouter(prefix=PREFIX)

REASONS = ("customer", "inventory", "fraud", "declined", "other")
FULFILLED = "Cannot cancel an order that has been fulfilled, in whole or in part"
CANCELLED = "Order has already been cancelled"


def cancel_errors(order: Json, body: Json) -> dict[str, list[str]]:
    """Field errors of a cancel request against this order; empty when it may be cancelled."""
    errors: dict[str, list[str]] = {}
    if order["cancelled_at"] is not None:
        return {"base": [CANCELLED]}
    if order["fulfillments"] or order["fulfillment_status"] is not None:
        return {"base": [FULFILLED]}
    if body.get("reason", "other") not in REASONS:
        errors["reason"] = ["is not included in the list"]
    for flag in ("email", "restock"):
        if body.get(flag) is not None and not isinstance(body[flag], bool):
            errors[flag] = ["must be a boolean"]
    if "refund" in body and not isinstance(body["refund"], dict):
        errors["refund"] = ["must be an object"]
    if body.get("amount") is not None and parse_amount(body["amount"]) is None:
        errors["amount"] = ["must be greater than 0"]
    if body.get("currency") is not None and body["currency"] != order["currency"]:
        errors["currency"] = [f"must be the order's currency {order['currency']}"]
    return errors


def deprecated_refund(order: Json, body: Json) -> Json | None:
    """The refund the deprecated `amount` and `restock` parameters ask for, if any."""
    amount, restock = body.get("amount"), body.get("restock") is True
    if amount is None and not restock:
        return None
    refund: dict[str, Any] = {"note": None}
    if restock:
        refund["refund_line_items"] = [
            {"line_item_id": item["id"], "quantity": item["quantity"], "restock_type": "cancel"}
            for item in order["line_items"]
        ]
    if amount is not None:
        sale = sale_of(order)
        refund["transactions"] = [
            {"parent_id": sale["id"], "amount": str(amount), "kind": "refund", "gateway": sale["gateway"]}
        ]
    return refund


def cancel_order_in(data: ShopData, order: Json, body: Json, when: str) -> Json:
    """Validate, then cancel `order` in place (with its refund, if one is asked); the order."""
    errors = cancel_errors(order, body)
    if errors:
        raise HTTPException(status_code=422, detail=errors)
    refund = body.get("refund") or deprecated_refund(order, body)
    if refund is not None:
        write_refund(data, order, refund, when)  # 422 before anything changes when it is invalid
    elif order["financial_status"] != "paid":
        order["financial_status"] = "voided"
    order.update(
        cancelled_at=when, cancel_reason=body.get("reason", "other"), closed_at=when, updated_at=when
    )
    return order


@router.post("/orders/{order_id}/cancel.json")
async def cancel_order(request: Request, data: Shop, shop: str, order_id: str) -> JSONResponse:
    write, earlier = await idempotency.begin(request, shop)
    if earlier is not None:
        return earlier
    order = order_in(data, order_id)
    cancelled = cancel_order_in(data, order, write.body, now_text(write.store))
    return write.answer({"order": copy.deepcopy(cancelled)})
