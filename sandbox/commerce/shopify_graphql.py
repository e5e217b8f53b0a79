"""Shopify GraphQL Admin API, version 2024-10: returns with exchanges (REST has neither).

`POST /shops/{shop}/admin/api/2024-10/graphql.json` `{"query", "variables"}` with the shop's
`X-Shopify-Access-Token`. The sandbox is not a GraphQL engine: it finds the operation's root field
in the document and answers that field's whole shape (every field below, whatever the selection
set), reading the arguments from `variables` named as the arguments. Three root fields:

- query `returnableFulfillments(orderId: $orderId)`: per fulfillment of the order, its line items
  that can still be returned (`quantity` = fulfilled less already in a return), each a
  `fulfillmentLineItem {id, lineItem {id, name, sku, variant {id, title, price}, product {id}}}`;
- query `order(id: $id)`: `{id, name, returns {nodes: [Return]}}` (null for an unknown order);
- mutation `returnCreate(returnInput: $returnInput)` with `orderId`, `returnLineItems:
  [{fulfillmentLineItemId, quantity, returnReason, returnReasonNote}]`, `exchangeLineItems:
  [{variantId, quantity}]`, `notifyCustomer`: a Return `{id, name, status: OPEN, order {id},
  createdAt, returnLineItems {nodes}, exchangeLineItems {nodes: [{id, quantity, variantId,
  lineItem {id, name, quantity, variant {id, title, price}}}]}}` and `userErrors [{field, message}]`.
  An exchange variant must be in stock; its stock goes down by the quantity. The store does not
  judge whether the exchange is a fair swap (another product, another price): that is the support
  workflow's policy, in its code. Honours `Idempotency-Key` like the REST writes.

A document without one of these root fields answers `{"errors": [{"message"}]}` (status 200, as
GraphQL does); a body that is not `{"query": str}` is 400.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse

from sandbox.commerce import idempotency
from sandbox.commerce.recharge import now_text
from sandbox.commerce.shapes import Json, ShopData
from sandbox.commerce.shopify import PREFIX, Shop
from sandbox.commerce.shopify_products import available, variant_in

router = APIRouter(prefix=PREFIX)

ROOT = re.compile(r"\b(returnCreate|returnableFulfillments|order)\s*\(")
RETURN_REASONS = (
    "COLOR", "DEFECTIVE", "NOT_AS_DESCRIBED", "OTHER", "SIZE_TOO_LARGE", "SIZE_TOO_SMALL", "STYLE",
    "UNKNOWN", "UNWANTED", "WRONG_ITEM",
)  # fmt: skip
FULFILLMENT_LINE_OFFSET = 1_000_000
"""Line item 4300000000041 of a fulfillment is fulfillment line item 4300001000041."""
RETURN_ID_BASE = 4_160_000_000_000
EXCHANGE_LINE_ID_BASE = 4_170_000_000_000


def gid(kind: str, number: int) -> str:
    return f"gid://shopify/{kind}/{number}"


def gid_number(value: object, kind: str) -> int | None:
    found = re.fullmatch(rf"gid://shopify/{kind}/(\d+)", str(value))
    return int(found.group(1)) if found else None


def order_of(data: ShopData, order_id: object) -> Json | None:
    number = gid_number(order_id, "Order")
    return data.orders.get(number) if number is not None else None


def returned_quantity(data: ShopData, fulfillment_line_id: str) -> int:
    return sum(
        line["quantity"]
        for r in data.returns
        if r["status"] != "CANCELED"
        for line in r["returnLineItems"]["nodes"]
        if line["fulfillmentLineItem"]["id"] == fulfillment_line_id
    )


def _variant_json(data: ShopData, variant_id: int) -> Json | None:
    found = variant_in(data, variant_id)
    if found is None:
        return None
    _, variant = found
    return {"id": gid("ProductVariant", variant_id), "title": variant["title"], "price": variant["price"]}


def returnable_lines(data: ShopData, order: Json) -> list[Json]:
    """Every fulfillment of the order with its line items still returnable."""
    out = []
    for fulfillment in order["fulfillments"]:
        if fulfillment["status"] != "success":
            continue
        lines = []
        for item in fulfillment["line_items"]:
            line_id = gid("FulfillmentLineItem", item["id"] + FULFILLMENT_LINE_OFFSET)
            left = item["quantity"] - returned_quantity(data, line_id)
            if left <= 0:
                continue
            line_item = {
                "id": gid("LineItem", item["id"]),
                "name": item["name"],
                "sku": item["sku"],
                "variant": _variant_json(data, item["variant_id"])
                or {
                    "id": gid("ProductVariant", item["variant_id"]),
                    "title": item["variant_title"],
                    "price": item["price"],
                },
                "product": {"id": gid("Product", item["product_id"])},
            }
            lines.append({"quantity": left, "fulfillmentLineItem": {"id": line_id, "lineItem": line_item}})
        out.append(
            {
                "id": gid("ReturnableFulfillment", fulfillment["id"]),
                "fulfillment": {"id": gid("Fulfillment", fulfillment["id"])},
                "returnableFulfillmentLineItems": {"nodes": lines},
            }
        )
    return out


def _user_error(field: list[str], message: str) -> Json:
    return {"field": field, "message": message}


def _return_lines(data: ShopData, order: Json, given: object) -> tuple[list[Json], list[Json]]:
    """The return's line items from `returnLineItems`, and user errors."""
    if not isinstance(given, list) or not given:
        return [], [_user_error(["returnInput", "returnLineItems"], "must have at least one line item")]
    returnable = {
        line["fulfillmentLineItem"]["id"]: line
        for f in returnable_lines(data, order)
        for line in f["returnableFulfillmentLineItems"]["nodes"]
    }
    lines: list[Json] = []
    for i, line in enumerate(given):
        at = ["returnInput", "returnLineItems", str(i)]
        if not isinstance(line, dict) or line.get("fulfillmentLineItemId") not in returnable:
            return [], [
                _user_error([*at, "fulfillmentLineItemId"], "is not a returnable line item of this order")
            ]
        found = returnable[line["fulfillmentLineItemId"]]
        quantity = line.get("quantity")
        if (
            not isinstance(quantity, int)
            or isinstance(quantity, bool)
            or not 1 <= quantity <= found["quantity"]
        ):
            return [], [_user_error([*at, "quantity"], f"must be between 1 and {found['quantity']}")]
        reason = line.get("returnReason", "UNKNOWN")
        if reason not in RETURN_REASONS:
            return [], [_user_error([*at, "returnReason"], "is not a ReturnReason")]
        note = line.get("returnReasonNote")
        lines.append(
            {
                "quantity": quantity,
                "returnReason": reason,
                "returnReasonNote": note if isinstance(note, str) else None,
                "fulfillmentLineItem": copy.deepcopy(found["fulfillmentLineItem"]),
            }
        )
    return lines, []


def _exchange_lines(data: ShopData, given: object) -> tuple[list[tuple[Json, int]], list[Json]]:
    """The variants and quantities `exchangeLineItems` asks for, and user errors."""
    if given is None:
        return [], []
    if not isinstance(given, list):
        return [], [_user_error(["returnInput", "exchangeLineItems"], "must be a list")]
    wanted: list[tuple[Json, int]] = []
    for i, line in enumerate(given):
        at = ["returnInput", "exchangeLineItems", str(i)]
        number = gid_number(line.get("variantId"), "ProductVariant") if isinstance(line, dict) else None
        found = variant_in(data, number) if number is not None else None
        if found is None:
            return [], [_user_error([*at, "variantId"], "is not a variant of this shop")]
        quantity = line.get("quantity")
        if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 1:
            return [], [_user_error([*at, "quantity"], "must be greater than 0")]
        if not available(found[1], quantity):
            return [], [_user_error([*at, "variantId"], "is not available in that quantity")]
        wanted.append((found[1], quantity))
    return wanted, []


def create_return(data: ShopData, given: object, when: str) -> Json:
    """`returnCreate`'s payload: the return written, or the user errors and nothing written."""
    if not isinstance(given, dict):
        return {"return": None, "userErrors": [_user_error(["returnInput"], "is required")]}
    order = order_of(data, given.get("orderId"))
    if order is None:
        return {
            "return": None,
            "userErrors": [_user_error(["returnInput", "orderId"], "Order does not exist")],
        }
    lines, errors = _return_lines(data, order, given.get("returnLineItems"))
    exchange, exchange_errors = _exchange_lines(data, given.get("exchangeLineItems"))
    errors = errors or exchange_errors
    if errors:
        return {"return": None, "userErrors": errors}
    n = len(data.returns) + 1
    for variant, quantity in exchange:
        variant["inventory_quantity"] -= quantity
    same_order = sum(r["order"]["id"] == order["admin_graphql_api_id"] for r in data.returns)
    written = {
        "id": gid("Return", RETURN_ID_BASE + n),
        "name": f"{order['name']}-R{same_order + 1}",
        "status": "OPEN",
        "order": {"id": order["admin_graphql_api_id"]},
        "createdAt": when,
        "returnLineItems": {
            "nodes": [
                {"id": gid("ReturnLineItem", RETURN_ID_BASE + n * 10 + i), **line}
                for i, line in enumerate(lines)
            ]
        },
        "exchangeLineItems": {
            "nodes": [
                {
                    "id": gid("ExchangeLineItem", EXCHANGE_LINE_ID_BASE + n * 10 + i),
                    "quantity": quantity,
                    "variantId": variant["admin_graphql_api_id"],
                    "lineItem": {
                        "id": gid("LineItem", EXCHANGE_LINE_ID_BASE + n * 10 + i),
                        "name": f"{_product_title(data, variant)} - {variant['title']}",
                        "quantity": quantity,
                        "variant": {
                            "id": variant["admin_graphql_api_id"],
                            "title": variant["title"],
                            "price": variant["price"],
                        },
                    },
                }
                for i, (variant, quantity) in enumerate(exchange)
            ]
        },
    }
    data.returns.append(written)
    order["updated_at"] = when
    return {"return": copy.deepcopy(written), "userErrors": []}


def _product_title(data: ShopData, variant: Json) -> str:
    product = data.products.get(variant["product_id"])
    return str(product["title"]) if product else ""


def _order_returns(data: ShopData, order_id: object) -> Json | None:
    order = order_of(data, order_id)
    if order is None:
        return None
    mine = [copy.deepcopy(r) for r in data.returns if r["order"]["id"] == order["admin_graphql_api_id"]]
    return {"id": order["admin_graphql_api_id"], "name": order["name"], "returns": {"nodes": mine}}


@router.post("/graphql.json")
async def graphql(request: Request, data: Shop, shop: str) -> JSONResponse:
    body = await idempotency.json_object(request)
    query, variables = body.get("query"), body.get("variables") or {}
    if not isinstance(query, str) or not isinstance(variables, dict):
        raise HTTPException(status_code=400, detail='Body must be {"query": string, "variables": object}')
    root = ROOT.search(query)
    if root is None:
        return JSONResponse(
            {
                "errors": [
                    {"message": "The sandbox answers returnCreate, returnableFulfillments and order only"}
                ]
            }
        )
    field = root.group(1)
    if field == "returnableFulfillments":
        order = order_of(data, variables.get("orderId"))
        nodes = returnable_lines(data, order) if order is not None else []
        return JSONResponse({"data": {field: {"nodes": nodes}}})
    if field == "order":
        return JSONResponse({"data": {field: _order_returns(data, variables.get("id"))}})
    write, earlier = await idempotency.begin(request, shop)
    if earlier is not None:
        return earlier
    payload: Any = create_return(data, variables.get("returnInput"), now_text(write.store))
    return write.answer({"data": {field: payload}})
