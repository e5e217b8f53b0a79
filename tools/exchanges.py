"""Exchanges over Shopify: items of a delivered order for other variants of the same products.

REST has no returns or exchanges, so an exchange is what the store does: the GraphQL Admin API's
`returnCreate` with `returnLineItems` (the items sent back, from a returnable fulfillment) and
`exchangeLineItems {variantId, quantity}` (what is sent instead). `get_order_for_exchange` reads the
order (REST), its returnable fulfillment line items (GraphQL `returnableFulfillments`) and each
item's product with its variants, prices and stock (REST `products/<id>.json`).

`exchange_items` is a write: the workflow's guard (`workflows/exchange_item/`) sets the exchanges the
customer confirmed, and the idempotency key, in code. The body checks the live store once more: each
item still returnable, each new variant of the same product, at the same price, in stock (else
`terms_changed`: a new confirmation). It sends one `returnCreate`. Its marker
(`tools.readback.marker`) rides in each return line item's `returnReasonNote`: before writing, a
return of the order carrying it is this confirmation's exchange (a replayed turn); after a lost
answer the order's returns are read back for it (`order(id) { returns }`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, Field
from pydantic.json_schema import SkipJsonSchema

from brands import BrandConfig
from brands.context import BrandContext
from tools.commerce import shopify
from tools.errors import ToolError
from tools.http import request_json, write_json
from tools.orders import OrderArgs, find_order, named_order
from tools.readback import carries, marker, written_or_read_back
from tools.spec import ToolResult, ToolSpec, WriteTerms

EXCHANGE_NOTE = "Exchange for another variant at the same price, confirmed by the customer in support chat"

RETURNABLE = """query Returnable($orderId: ID!) {
  returnableFulfillments(orderId: $orderId, first: 10) {
    nodes { id fulfillment { id } returnableFulfillmentLineItems(first: 50) {
      nodes { quantity fulfillmentLineItem { id lineItem { id name sku variant { id title price } product { id } } } }
    } }
  }
}"""
RETURNS = """query Returns($id: ID!) {
  order(id: $id) { id name returns(first: 50) { nodes {
    id name status
    returnLineItems(first: 50) { nodes { id quantity returnReason returnReasonNote } }
    exchangeLineItems(first: 50) { nodes { id quantity variantId lineItem { id name variant { id title price } } } }
  } } }
}"""
RETURN_CREATE = """mutation ReturnCreate($returnInput: ReturnInput!) {
  returnCreate(returnInput: $returnInput) {
    return { id name status
      returnLineItems(first: 50) { nodes { id quantity returnReason returnReasonNote } }
      exchangeLineItems(first: 50) { nodes { id quantity variantId lineItem { id name variant { id title price } } } }
    }
    userErrors { field message }
  }
}"""


def _number(gid: object) -> str:
    return str(gid).rsplit("/", 1)[-1]


async def graphql(ctx: BrandContext, query: str, variables: Mapping[str, Any], what: str) -> dict[str, Any]:
    """A GraphQL Admin query (never a mutation: those go through `write_json`); its `data`."""
    base, headers = shopify(ctx)
    body = await request_json(
        "shopify", "POST", f"{base}/graphql.json", headers=headers, what=what,
        json={"query": query, "variables": dict(variables)}, idempotent=True,  # a read
    )  # fmt: skip
    return body.get("data") or {}


async def _product(product_id: object, ctx: BrandContext) -> dict[str, Any]:
    base, headers = shopify(ctx)
    body = await request_json(
        "shopify", "GET", f"{base}/products/{product_id}.json", headers=headers, what=f"product {product_id}"
    )
    return body.get("product") or {}


def _delivered(order: Mapping[str, Any]) -> bool:
    shipments = order.get("fulfillments") or []
    return bool(shipments) and all(f.get("shipment_status") == "delivered" for f in shipments)


async def exchange_facts(order: Mapping[str, Any], ctx: BrandContext) -> dict[str, Any]:
    """What the exchange policy reads: the order, whether it was delivered, and each returnable item
    with the other variants of its product (price, availability)."""
    data = await graphql(
        ctx, RETURNABLE, {"orderId": order["admin_graphql_api_id"]}, f"order {order['name']}"
    )
    returnable = [
        line
        for f in (data.get("returnableFulfillments") or {}).get("nodes") or []
        for line in f["returnableFulfillmentLineItems"]["nodes"]
    ]
    products = await asyncio.gather(
        *(
            _product(_number(line["fulfillmentLineItem"]["lineItem"]["product"]["id"]), ctx)
            for line in returnable
        )
    )
    items = []
    for line, product in zip(returnable, products, strict=True):
        item = line["fulfillmentLineItem"]["lineItem"]
        current = _number(item["variant"]["id"])
        items.append(
            {
                "fulfillment_line_item_id": line["fulfillmentLineItem"]["id"],
                "product_id": str(product.get("id")),
                "product": str(product.get("title")),
                "option": str(((product.get("options") or [{}])[0]).get("name") or "Variant"),
                "variant_id": current,
                "variant": str(item["variant"]["title"]),
                "price": str(item["variant"]["price"]),
                "quantity": int(line["quantity"]),
                "variants": [
                    {
                        "variant_id": str(v["id"]),
                        "title": str(v["title"]),
                        "price": str(v["price"]),
                        "available": v.get("inventory_policy") == "continue"
                        or int(v.get("inventory_quantity") or 0) > 0,
                    }
                    for v in product.get("variants") or []
                    if str(v["id"]) != current
                ],
            }
        )
    shipped = sorted(str(f["created_at"]) for f in order.get("fulfillments") or [] if f.get("created_at"))
    return {
        "order": str(order["name"]),
        "order_gid": str(order["admin_graphql_api_id"]),
        "currency": str(order.get("currency")),
        "cancelled": order.get("cancelled_at") is not None,
        "shipped_at": shipped[0] if shipped else None,
        "delivered": _delivered(order),
        "items": items,
    }


def describe(facts: Mapping[str, Any]) -> str:
    items = "; ".join(
        f"{i['product']} ({i['variant']}, {i['price']}): other {i['option'].lower()}s "
        + ", ".join(
            f"{v['title']} {v['price']}{'' if v['available'] else ' sold out'}" for v in i["variants"]
        )
        for i in facts["items"]
    )
    state = "delivered" if facts["delivered"] else "not delivered yet"
    return f"Order {facts['order']}: {state}. Returnable items: {items or 'none'}."


async def _get_order_for_exchange(args: OrderArgs, ctx: BrandContext) -> ToolResult:
    order = await find_order(args.order_number, ctx)
    facts = await exchange_facts(order, ctx)
    return ToolResult(describe(facts), {"order": facts})


class Swap(BaseModel):
    fulfillment_line_item_id: str
    variant_id: str
    quantity: int = 1


class ExchangeArgs(OrderArgs):
    exchanges: SkipJsonSchema[list[Swap]] = Field(default_factory=list)
    """Set by the policy guard from the confirmation."""
    idempotency_key: SkipJsonSchema[str] = ""
    """Set by the policy guard from the confirmation; empty means not confirmed."""


def _changed(name: str, why: str) -> ToolError:
    return ToolError(
        EXCHANGE_ITEMS.name,
        "terms_changed",
        f"the exchange on order {name} cannot be made as confirmed: {why}",
    )


def checked(facts: Mapping[str, Any], swaps: list[Swap]) -> list[tuple[dict[str, Any], dict[str, Any], int]]:
    """Each confirmed swap against the live store: (item, new variant, quantity); `terms_changed`
    when an item is no longer returnable, or the variant is another product's, priced otherwise or
    sold out."""
    by_line = {i["fulfillment_line_item_id"]: i for i in facts["items"]}
    found = []
    for swap in swaps:
        item = by_line.get(swap.fulfillment_line_item_id)
        if item is None or item["quantity"] < swap.quantity:
            raise _changed(facts["order"], "an item is no longer returnable")
        variant = next((v for v in item["variants"] if v["variant_id"] == swap.variant_id), None)
        if variant is None:
            raise _changed(
                facts["order"], f"that is not another {item['option'].lower()} of the {item['product']}"
            )
        if variant["price"] != item["price"]:
            raise _changed(
                facts["order"], f"the {variant['title']} {item['product']} now costs {variant['price']}"
            )
        if not variant["available"]:
            raise _changed(facts["order"], f"the {variant['title']} {item['product']} is sold out")
        found.append((item, variant, swap.quantity))
    return found


def _marked(order_returns: Mapping[str, Any], key: str) -> dict[str, Any] | None:
    for r in ((order_returns.get("order") or {}).get("returns") or {}).get("nodes") or []:
        if any(carries(line.get("returnReasonNote"), key) for line in r["returnLineItems"]["nodes"]):
            return dict(r)
    return None


def exchange_done(name: str, written: Mapping[str, Any], *, reconciled: bool) -> ToolResult:
    got = [
        {
            "variant": n["lineItem"]["variant"]["title"],
            "item": n["lineItem"]["name"],
            "quantity": n["quantity"],
        }
        for n in written["exchangeLineItems"]["nodes"]
    ]
    done = {"order": name, "return": written["name"], "return_id": written["id"], "items": got}
    text = (
        f"Return {written['name']} opened on order {name}: "
        + ", ".join(g["item"] for g in got)
        + " sent instead."
    )
    return ToolResult(text, {"exchange": done, **({"reconciled": True} if reconciled else {})})


async def _exchange_items(args: ExchangeArgs, ctx: BrandContext) -> ToolResult:
    if not args.idempotency_key or not args.exchanges:
        raise ToolError(
            EXCHANGE_ITEMS.name, "not_confirmed", "the exchange has not been confirmed by the customer"
        )
    key = args.idempotency_key
    order = await find_order(args.order_number, ctx)
    name = str(order["name"])

    async def find() -> dict[str, Any] | None:
        return _marked(
            await graphql(ctx, RETURNS, {"id": order["admin_graphql_api_id"]}, f"order {name}"), key
        )

    applied = await find()
    if applied is not None:  # this confirmation's exchange was written (a replayed turn): write nothing
        return exchange_done(name, applied, reconciled=True)
    facts = await exchange_facts(order, ctx)
    swaps = checked(facts, args.exchanges)
    note = f"{EXCHANGE_NOTE} {marker(key)}"
    returned = [
        {
            "fulfillmentLineItemId": item["fulfillment_line_item_id"],
            "quantity": quantity,
            "returnReason": "COLOR" if item["option"].lower() in ("color", "colour") else "OTHER",
            "returnReasonNote": note,
        }
        for item, _, quantity in swaps
    ]
    sent = [
        {"variantId": f"gid://shopify/ProductVariant/{v['variant_id']}", "quantity": q} for _, v, q in swaps
    ]
    base, headers = shopify(ctx)
    body = {
        "query": RETURN_CREATE,
        "variables": {
            "returnInput": {
                "orderId": order["admin_graphql_api_id"],
                "returnLineItems": returned,
                "exchangeLineItems": sent,
                "notifyCustomer": True,
            }
        },
    }

    async def create() -> dict[str, Any]:
        answer = await write_json(
            EXCHANGE_ITEMS.name, "shopify", "POST", f"{base}/graphql.json",
            headers={**headers, "Idempotency-Key": key}, what=f"order {name}", json=body,
        )  # fmt: skip
        payload = (answer.get("data") or {}).get("returnCreate") or {}
        if payload.get("userErrors"):
            raise _changed(name, "; ".join(str(e.get("message")) for e in payload["userErrors"]))
        return {"return": payload.get("return") or {}}

    written, reconciled = await written_or_read_back(
        create(), "return", find, f"the exchange on order {name}"
    )
    return exchange_done(name, written, reconciled=reconciled)


def exchange_written(
    args: Mapping[str, Any], artifact: Mapping[str, Any] | None, brand: BrandConfig
) -> WriteTerms:
    """The order whose items a call exchanged, or tried to."""
    done = artifact.get("exchange") if artifact is not None else None
    if isinstance(done, Mapping):
        return WriteTerms("exchange", str(done["order"]))
    return WriteTerms("exchange", named_order(args, brand))


GET_ORDER_FOR_EXCHANGE = ToolSpec(
    name="get_order_for_exchange",
    description="Look up one of the customer's orders for an exchange: whether it was delivered, its items and the other variants of each.",
    args_schema=OrderArgs,
    body=_get_order_for_exchange,
)

EXCHANGE_ITEMS = ToolSpec(
    name="exchange_items",
    description="Exchange items of a delivered order for other variants of the same products at the same price. Runs only after the customer confirmed.",
    args_schema=ExchangeArgs,
    body=_exchange_items,
    writes=True,
    written=exchange_written,
)
