"""Shipping-address tools over the Shopify Admin REST API: read an order's address, propose one, write it.

- `get_order_address` (read): the customer's order (tier one through `tools.orders.find_order`: another
  customer's order is not found), its fulfilment status and its current shipping address.
- `propose_shipping_address` (no I/O): the model's structured reading of the address the customer
  wrote; the workflow's guard checks every field against the customer's own messages before the
  proposal is put to the customer.
- `update_shipping_address` (write): the model names only the order; the workflow's policy guard
  (`workflows/address_change/`) sets the confirmed address, the order id and the
  Idempotency-Key in code. The body checks once more that nothing of the order has shipped.
  The order's address itself is the write's marker (`at_address`): an order already at the
  confirmed address (a replayed turn) is the answer, and after a lost answer the order is read back.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, Field
from pydantic.json_schema import SkipJsonSchema

from brands import BrandConfig
from brands.context import BrandContext
from tools.commerce import shopify
from tools.errors import ToolError
from tools.http import write_json
from tools.orders import OrderArgs, find_order, named_order
from tools.readback import written_or_read_back
from tools.spec import ToolResult, ToolSpec, WriteTerms

ADDRESS_FIELDS = ("address1", "address2", "city", "province_code", "zip", "country_code")
"""What a new address is made of; the recipient's name and phone stay as on the order."""


def clean_address(address: dict[str, Any]) -> dict[str, str]:
    """The known fields of `address`, as single-spaced strings, empty ones dropped."""
    cleaned = {k: " ".join(str(address.get(k) or "").split()) for k in ADDRESS_FIELDS}
    return {k: v for k, v in cleaned.items() if v}


def one_line(address: dict[str, Any]) -> str:
    """The address as the customer reads it back: "500 Oak Road, Springfield, IL 62704, US"."""
    fields = clean_address(address)
    region = " ".join(v for v in (fields.get("province_code"), fields.get("zip")) if v)
    parts = [
        fields.get("address1"),
        fields.get("address2"),
        fields.get("city"),
        region,
        fields.get("country_code"),
    ]
    return ", ".join(p for p in parts if p)


def has_shipped(order: dict[str, Any]) -> bool:
    """The tool's own last check before a write: any fulfilment, or a cancelled order, stops it."""
    return bool(order.get("cancelled_at") or order.get("fulfillment_status") or order.get("fulfillments"))


class ProposedAddress(BaseModel):
    address1: str = Field(
        pattern=r"\b\d{1,6}[A-Za-z]?\s+\S",
        description="street line as the customer wrote it, e.g. 500 Oak Road",
    )
    address2: str = Field(default="", description="apartment, suite or unit, if the customer gave one")
    city: str = Field(min_length=1, description="city as the customer wrote it")
    province_code: str = Field(
        default="", description="state or province code, e.g. IL, if the customer gave one"
    )
    zip: str = Field(pattern=r"\b\d{5}(?:-\d{4})?\b", description="ZIP code, e.g. 62704")
    country_code: str = Field(
        default="", description="two-letter country code, only if the customer wrote it"
    )


class UpdateArgs(OrderArgs):
    order_id: SkipJsonSchema[str] = ""
    """Set by the policy guard: the id of the order the customer confirmed."""
    address: SkipJsonSchema[dict[str, str]] = Field(default_factory=dict)
    """Set by the policy guard: the confirmed address."""
    idempotency_key: SkipJsonSchema[str] = ""
    """Set by the policy guard from the confirmation; empty means not confirmed."""


def order_summary(order: dict[str, Any]) -> dict[str, Any]:
    """What the address policy reads of an order: ids, fulfilment and the shipping address."""
    return {
        "order_id": str(order.get("id")),
        "order_number": str(order.get("order_number") or str(order.get("name") or "").lstrip("#")),
        "order_name": str(order.get("name") or ""),
        "fulfillment_status": order.get("fulfillment_status"),
        "cancelled_at": order.get("cancelled_at"),
        "fulfillments": [
            {"status": f.get("status"), "tracking_company": f.get("tracking_company")}
            for f in order.get("fulfillments") or []
        ],
        "shipping_address": {k: str(v) for k, v in (order.get("shipping_address") or {}).items() if v},
    }


def describe_address(order: dict[str, Any]) -> str:
    """One plain sentence: the order, whether it has shipped, where it is going, and its note."""
    shipped = order.get("fulfillment_status") or "unfulfilled (not shipped yet)"
    carriers = sorted({f.get("tracking_company") or "a carrier" for f in order.get("fulfillments") or []})
    via = f" with {', '.join(carriers)}" if carriers else ""
    to = one_line(order.get("shipping_address") or {}) or "no address"
    text = f"Order {order['name']}: fulfilment {shipped}{via}; ships to {to}."
    if order.get("note"):  # free text anyone could have written: quoted as a value, inside the data envelope
        text += f' Note on the order: "{order["note"]}".'
    return text


async def _get_order_address(args: OrderArgs, ctx: BrandContext) -> ToolResult:
    order = await find_order(args.order_number, ctx)
    return ToolResult(describe_address(order), {"order": order_summary(order)})


async def _propose_shipping_address(args: ProposedAddress, ctx: BrandContext) -> ToolResult:
    del ctx
    address = clean_address(args.model_dump())
    return ToolResult(f"Proposed new shipping address: {one_line(address)}.", {"address": address})


def _same(a: object, b: object) -> bool:
    return str(a or "").strip().casefold() == str(b or "").strip().casefold()


def at_address(order: dict[str, Any], fields: Mapping[str, Any]) -> dict[str, Any] | None:
    """The order, when its shipping address is already `fields` (the write was applied)."""
    current = order.get("shipping_address") or {}
    return order if all(_same(current.get(k), v) for k, v in fields.items()) else None


def address_done(order: dict[str, Any], *, reconciled: bool) -> ToolResult:
    facts = {"order": order_summary(order), "changed": True}
    return ToolResult(describe_address(order), {**facts, **({"reconciled": True} if reconciled else {})})


async def _update_shipping_address(args: UpdateArgs, ctx: BrandContext) -> ToolResult:
    if not args.idempotency_key or not args.address:
        raise ToolError(
            UPDATE_SHIPPING_ADDRESS.name,
            "not_confirmed",
            "the new address has not been confirmed by the customer",
        )
    order = await find_order(args.order_number, ctx)
    if str(order.get("id")) != args.order_id:
        raise ToolError(
            UPDATE_SHIPPING_ADDRESS.name,
            "confirmation_mismatch",
            f"order {args.order_number} is not the order the customer confirmed",
        )
    current = order.get("shipping_address") or {}
    fields = {k: args.address.get(k, "") for k in ADDRESS_FIELDS}
    fields["country_code"] = fields["country_code"] or str(current.get("country_code") or "")
    if at_address(order, fields) is not None:  # a replayed turn: the confirmed address is on the order
        return address_done(order, reconciled=True)
    if has_shipped(order):
        raise ToolError(
            UPDATE_SHIPPING_ADDRESS.name,
            "already_fulfilled",
            f"order {args.order_number} has already shipped: its address can no longer be changed",
        )
    kept = {k: current.get(k) for k in ("first_name", "last_name", "name", "company", "phone")}
    base, headers = shopify(ctx)

    async def find() -> dict[str, Any] | None:
        return at_address(await find_order(args.order_number, ctx), fields)

    done, reconciled = await written_or_read_back(
        write_json(
            UPDATE_SHIPPING_ADDRESS.name,
            "shopify",
            "PUT",
            f"{base}/orders/{args.order_id}.json",
            headers={**headers, "Idempotency-Key": args.idempotency_key},
            what=f"order {args.order_number}",
            json={"order": {"id": int(args.order_id), "shipping_address": {**kept, **fields}}},
        ),
        "order",
        find,
        f"the address of order {args.order_number}",
    )
    return address_done(done, reconciled=reconciled)


def address_written(
    args: Mapping[str, Any], artifact: Mapping[str, Any] | None, brand: BrandConfig
) -> WriteTerms:
    """The order whose address a call changed (the result's name, when it succeeded), or tried to."""
    done = artifact.get("order") if artifact is not None else None
    name = done.get("order_name") if isinstance(done, Mapping) else None
    return WriteTerms("address_change", str(name) if name else named_order(args, brand))


GET_ORDER_ADDRESS = ToolSpec(
    name="get_order_address",
    description="Look up one of the customer's orders by number: whether it has shipped and its shipping address.",
    args_schema=OrderArgs,
    body=_get_order_address,
)

PROPOSE_SHIPPING_ADDRESS = ToolSpec(
    name="propose_shipping_address",
    description=(
        "Propose the new shipping address exactly as the customer wrote it, split into fields; "
        "the customer is asked to confirm it before anything changes."
    ),
    args_schema=ProposedAddress,
    body=_propose_shipping_address,
)

UPDATE_SHIPPING_ADDRESS = ToolSpec(
    name="update_shipping_address",
    description="Change an order's shipping address. Runs only after the customer confirmed the new address.",
    args_schema=UpdateArgs,
    body=_update_shipping_address,
    writes=True,
    written=address_written,
)
