"""Shopify Admin REST API, version 2024-10, refunds: calculate, create and list an order's refunds.

- `POST .../orders/{id}/refunds/calculate.json` `{"refund": {"shipping": {"full_refund": true} |
  {"amount": "5.00"}, "refund_line_items": [{"line_item_id", "quantity", "restock_type"}]}}` answers
  the suggested refund: line items priced, shipping with its `maximum_refundable`, and one
  `suggested_refund` transaction against the order's sale (`parent_id`, `gateway`, `amount`,
  `maximum_refundable`). Nothing is written.
- `POST .../orders/{id}/refunds.json` `{"refund": {"currency", "notify", "note", "shipping",
  "refund_line_items", "transactions": [{"parent_id", "amount", "kind": "refund", "gateway"}]}}`
  writes the refund: the money moved is the sum of the transactions, at most what the sale still
  holds (else 422). The order gets the refund in `refunds` and `financial_status` `refunded` or
  `partially_refunded`. Honours `Idempotency-Key` (see `idempotency`).
- `GET .../orders/{id}/refunds.json` lists them; `GET .../orders/{id}/transactions.json` lists the
  sale and the refund transactions.

As Shopify answers: a missing or non-object `refund` is 400 `{"errors": {"refund": "Required
parameter missing or invalid"}}`; an invalid field or an amount above what is refundable is 422
`{"errors": {field: [message]}}` (the messages are the sandbox's wording); another shop's or an
unknown order is 404. The seed has no transactions: each paid order's one sale is derived from it
(id = order id + `SALE_ID_OFFSET`, the order's total, gateway `shopify_payments`).
"""

from __future__ import annotations

import copy
from decimal import Decimal, InvalidOperation

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse

from sandbox.commerce import idempotency
from sandbox.commerce.recharge import now_text
from sandbox.commerce.shapes import Json, ShopData
from sandbox.commerce.shopify import PREFIX, Shop, order_in

SALE_ID_OFFSET = 20_000_000_000
"""Order 4100000001001's sale is transaction 4120000001001."""
REFUND_ID_BASE = 4_130_000_000_000
TRANSACTION_ID_BASE = 4_140_000_000_000
LINE_ID_BASE = 4_150_000_000_000
GATEWAY = "shopify_payments"
RESTOCK_TYPES = ("no_restock", "cancel", "return")
MISSING_ROOT = {"refund": "Required parameter missing or invalid"}
CENT = Decimal("0.01")

router = APIRouter(prefix=PREFIX)


def money(amount: Decimal) -> str:
    return f"{amount.quantize(CENT):.2f}"


def parse_amount(value: object) -> Decimal | None:
    """A positive amount with at most two decimals (string or number), else None."""
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return None
    if not amount.is_finite() or amount <= 0 or amount != amount.quantize(CENT):
        return None
    return amount


def sale_of(order: Json) -> Json:
    """The order's one captured payment (the seed's orders are all paid in full, in one sale)."""
    return {
        "id": order["id"] + SALE_ID_OFFSET,
        "order_id": order["id"],
        "kind": "sale",
        "gateway": GATEWAY,
        "status": "success",
        "amount": order["total_price"],
        "currency": order["currency"],
        "parent_id": None,
        "created_at": order["processed_at"],
        "test": True,
    }


def refunded_total(order: Json) -> Decimal:
    return sum(
        (Decimal(t["amount"]) for r in order["refunds"] for t in r["transactions"] if t["kind"] == "refund"),
        Decimal(0),
    )


def refundable(order: Json) -> Decimal:
    """What the sale still holds: the total less every refund transaction so far."""
    if order["financial_status"] not in ("paid", "partially_refunded"):
        return Decimal(0)
    return Decimal(order["total_price"]) - refunded_total(order)


def refunded_quantity(order: Json, line_item_id: int) -> int:
    return sum(
        int(line["quantity"])
        for r in order["refunds"]
        for line in r["refund_line_items"]
        if line["line_item_id"] == line_item_id
    )


def shipping_refunded(order: Json) -> Decimal:
    adjustments = [
        a for r in order["refunds"] for a in r["order_adjustments"] if a["kind"] == "shipping_refund"
    ]
    return -sum((Decimal(a["amount"]) for a in adjustments), Decimal(0))


def shipping_left(order: Json) -> Decimal:
    paid = sum((Decimal(s["price"]) for s in order["shipping_lines"]), Decimal(0))
    return paid - shipping_refunded(order)


def refund_root(body: Json) -> Json:
    refund = body.get("refund")
    if not isinstance(refund, dict):
        raise HTTPException(status_code=400, detail=MISSING_ROOT)
    return refund


def line_errors(order: Json, lines: object) -> tuple[list[Json], dict[str, list[str]]]:
    """The requested refund lines with their order line item, and field errors."""
    if lines is None:
        return [], {}
    if not isinstance(lines, list):
        return [], {"refund_line_items": ["must be an array"]}
    by_id = {item["id"]: item for item in order["line_items"]}
    found: list[Json] = []
    for line in lines:
        item = by_id.get(line.get("line_item_id")) if isinstance(line, dict) else None
        if item is None:
            return [], {"refund_line_items.line_item_id": ["is not a line item of this order"]}
        quantity = line.get("quantity")
        left = item["quantity"] - refunded_quantity(order, item["id"])
        if not isinstance(quantity, int) or isinstance(quantity, bool) or not 1 <= quantity <= left:
            return [], {"refund_line_items.quantity": [f"must be between 1 and {left}"]}
        restock = line.get("restock_type", "no_restock")
        if restock not in RESTOCK_TYPES:
            return [], {"refund_line_items.restock_type": ["is not included in the list"]}
        found.append({"item": item, "quantity": quantity, "restock_type": restock})
    return found, {}


def shipping_amount(order: Json, shipping: object) -> tuple[Decimal, dict[str, list[str]]]:
    if shipping is None:
        return Decimal(0), {}
    if not isinstance(shipping, dict):
        return Decimal(0), {"shipping": ["must be an object"]}
    left = shipping_left(order)
    if shipping.get("full_refund") is True:
        return left, {}
    if "amount" not in shipping:
        return Decimal(0), {}
    amount = parse_amount(shipping["amount"])
    if amount is None or amount > left:
        return Decimal(0), {"shipping.amount": [f"must be greater than 0 and at most {money(left)}"]}
    return amount, {}


def priced_lines(lines: list[Json]) -> list[Json]:
    priced = []
    for line in lines:
        item, quantity = line["item"], line["quantity"]
        subtotal = Decimal(item["price"]) * quantity
        priced.append(
            {
                "quantity": quantity,
                "line_item_id": item["id"],
                "location_id": None,
                "restock_type": line["restock_type"],
                "price": item["price"],
                "subtotal": money(subtotal),
                "total_tax": "0.00",
                "discounted_price": item["price"],
                "discounted_total_price": money(subtotal),
                "total_cart_discount_amount": "0.00",
            }
        )
    return priced


def transaction_errors(order: Json, transactions: object) -> tuple[Decimal, dict[str, list[str]]]:
    """The total the transactions move, and field errors (an amount above what is refundable too)."""
    if transactions is None:
        return Decimal(0), {}
    if not isinstance(transactions, list):
        return Decimal(0), {"transactions": ["must be an array"]}
    sale = sale_of(order)
    total = Decimal(0)
    for t in transactions:
        if not isinstance(t, dict):
            return Decimal(0), {"transactions": ["must be objects"]}
        if t.get("kind") != "refund":
            return Decimal(0), {"transactions.kind": ["is not included in the list"]}
        if t.get("parent_id") != sale["id"]:
            return Decimal(0), {"transactions.parent_id": ["is not a transaction of this order"]}
        if t.get("gateway", GATEWAY) != GATEWAY:
            return Decimal(0), {"transactions.gateway": ["does not match the parent transaction"]}
        amount = parse_amount(t.get("amount"))
        if amount is None:
            return Decimal(0), {"transactions.amount": ["must be greater than 0"]}
        total += amount
    left = refundable(order)
    if total > left:
        why = f"Refund amount {money(total)} is greater than the refundable amount {money(left)}"
        return Decimal(0), {"base": [why]}
    return total, {}


def calculated(order: Json, refund: Json) -> Json:
    lines, errors = line_errors(order, refund.get("refund_line_items"))
    shipping, shipping_errors = shipping_amount(order, refund.get("shipping"))
    errors |= shipping_errors
    if errors:
        raise HTTPException(status_code=422, detail=errors)
    priced = priced_lines(lines)
    left = refundable(order)
    amount = min(sum((Decimal(p["subtotal"]) for p in priced), shipping), left)
    sale = sale_of(order)
    suggested = {
        "order_id": order["id"],
        "kind": "suggested_refund",
        "gateway": sale["gateway"],
        "parent_id": sale["id"],
        "amount": money(amount),
        "currency": order["currency"],
        "maximum_refundable": money(left),
    }
    return {
        "shipping": {
            "amount": money(shipping),
            "tax": "0.00",
            "maximum_refundable": money(shipping_left(order)),
        },
        "duties": [],
        "refund_line_items": priced,
        "transactions": [suggested] if amount > 0 else [],
        "currency": order["currency"],
    }


def shipping_adjustment(order_id: int, refund_id: int, amount: Decimal) -> Json:
    """Shopify records a shipping refund as a negative order adjustment of kind `shipping_refund`."""
    return {
        "id": refund_id + 1_000_000,
        "order_id": order_id,
        "refund_id": refund_id,
        "amount": money(-amount),
        "tax_amount": "0.00",
        "kind": "shipping_refund",
        "reason": "Shipping refund",
    }


def refund_count(data: ShopData) -> int:
    return sum(len(o["refunds"]) for o in data.orders.values())


def write_refund(data: ShopData, order: Json, refund: Json, when: str) -> Json:
    """Validate `refund` against the order, then append it and update the order's payment status."""
    lines, errors = line_errors(order, refund.get("refund_line_items"))
    shipping, shipping_errors = shipping_amount(order, refund.get("shipping"))
    total, money_errors = transaction_errors(order, refund.get("transactions"))
    errors |= shipping_errors | money_errors
    currency = refund.get("currency")
    if currency is not None and currency != order["currency"]:
        errors["currency"] = [f"must be the order's currency {order['currency']}"]
    if not errors and not (lines or shipping or total):
        errors["base"] = ["Refund must refund a line item, shipping or an amount"]
    if errors:
        raise HTTPException(status_code=422, detail=errors)
    n = refund_count(data) + 1
    refund_id = REFUND_ID_BASE + n
    sale = sale_of(order)
    moved = [
        {
            "id": TRANSACTION_ID_BASE + n * 10 + i,
            "order_id": order["id"],
            "kind": "refund",
            "gateway": sale["gateway"],
            "status": "success",
            "message": None,
            "amount": money(Decimal(str(t["amount"]))),
            "currency": order["currency"],
            "parent_id": sale["id"],
            "created_at": when,
            "processed_at": when,
            "test": True,
        }
        for i, t in enumerate(refund.get("transactions") or [])
    ]
    written = {
        "id": refund_id,
        "admin_graphql_api_id": f"gid://shopify/Refund/{refund_id}",
        "order_id": order["id"],
        "created_at": when,
        "processed_at": when,
        "note": refund.get("note"),
        "restock": any(line["restock_type"] != "no_restock" for line in lines),
        "user_id": None,
        "refund_line_items": [
            {
                "id": LINE_ID_BASE + n * 10 + i,
                "line_item_id": p["line_item_id"],
                "quantity": p["quantity"],
                "restock_type": p["restock_type"],
                "location_id": None,
                "subtotal": p["subtotal"],
                "total_tax": "0.00",
                "line_item": next(item for item in order["line_items"] if item["id"] == p["line_item_id"]),
            }
            for i, p in enumerate(priced_lines(lines))
        ],
        "transactions": moved,
        "order_adjustments": [shipping_adjustment(order["id"], refund_id, shipping)] if shipping else [],
        "duties": [],
    }
    order["refunds"].append(written)
    paid_back = refunded_total(order)
    if paid_back > 0:
        full = paid_back >= Decimal(order["total_price"])
        order["financial_status"] = "refunded" if full else "partially_refunded"
    order["updated_at"] = when
    return written


@router.post("/orders/{order_id}/refunds/calculate.json")
async def calculate_refund(request: Request, data: Shop, order_id: str) -> dict[str, Json]:
    order = order_in(data, order_id)
    refund = refund_root(await idempotency.json_object(request))
    return {"refund": calculated(order, refund)}


@router.post("/orders/{order_id}/refunds.json")
async def create_refund(request: Request, data: Shop, shop: str, order_id: str) -> JSONResponse:
    write, earlier = await idempotency.begin(request, shop)
    if earlier is not None:
        return earlier
    order = order_in(data, order_id)
    written = write_refund(data, order, refund_root(write.body), now_text(write.store))
    return write.answer({"refund": copy.deepcopy(written)}, status=201)  # Shopify's 201, replays too


@router.get("/orders/{order_id}/refunds.json")
async def list_refunds(data: Shop, order_id: str) -> dict[str, list[Json]]:
    return {"refunds": order_in(data, order_id)["refunds"]}


@router.get("/orders/{order_id}/transactions.json")
async def list_transactions(data: Shop, order_id: str) -> dict[str, list[Json]]:
    order = order_in(data, order_id)
    refunds = [t for r in order["refunds"] for t in r["transactions"]]
    return {"transactions": [sale_of(order), *refunds]}
