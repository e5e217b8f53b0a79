"""Cancelling an order over the Shopify Admin REST API: the facts a cancellation needs, and the cancel.

`get_order_for_cancel` reads the order (total, payment, fulfilment, whether it is cancelled).
`cancel_order` is a write: the workflow's policy guard (`workflows/cancel_order/`) decides whether it
may run and sets its hidden arguments (the confirmed total and reason, the idempotency key) in code.
The body checks the live order once more (not cancelled, nothing shipped, the total confirmed), asks
the store for the refund of every line and the shipping (`refunds/calculate.json`, restocked as
`cancel`), then sends one `POST orders/<id>/cancel.json` with the reason, a customer email and that
refund, carrying the `Idempotency-Key`.

The marker (`tools.readback.marker`) rides in the refund's `note`: Shopify's cancel takes no note of
its own, while the refund it writes with the cancellation keeps one, in the same request (a
`note_attributes` marker would need a second write, which could itself be lost). Before writing, a
cancelled order with a refund carrying the key is this confirmation's cancel (a replayed turn); after
a lost answer the order is read back for it.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, Field
from pydantic.json_schema import SkipJsonSchema

from brands import BrandConfig
from brands.context import BrandContext
from tools.commerce import belongs_to, recharge, shopify
from tools.errors import ToolError
from tools.http import request_json, write_json
from tools.orders import OrderArgs, describe_order, find_order, named_order
from tools.readback import carries, marker, written_or_read_back
from tools.returns import calculate_refund, refund_lines
from tools.spec import ToolResult, ToolSpec, WriteTerms
from tools.subscriptions import terms_of

CancelReason = Literal["customer", "inventory", "fraud", "declined", "other"]
"""Shopify's cancel reasons."""
CANCEL_NOTE = "Order cancelled before fulfilment, confirmed by the customer in support chat"


def cancel_facts(order: Mapping[str, Any]) -> dict[str, Any]:
    """What the cancel policy reads: the order, its total, payment, fulfilment and cancellation."""
    fulfilled = order.get("fulfillment_status") or ("fulfilled" if order.get("fulfillments") else None)
    return {
        "order": str(order.get("name")),
        "order_id": str(order.get("id")),
        "total": str(order.get("total_price")),
        "currency": str(order.get("currency")),
        "financial_status": str(order.get("financial_status")),
        "fulfillment_status": fulfilled,
        "cancelled": order.get("cancelled_at") is not None,
        "shipped_at": min((str(f["created_at"]) for f in order.get("fulfillments") or []), default=None),
        "items": [str(i.get("name")) for i in order.get("line_items") or []],
    }


async def _get_order_for_cancel(args: OrderArgs, ctx: BrandContext) -> ToolResult:
    order = await find_order(args.order_number, ctx)
    text = f"{describe_order(order)} Order total {order.get('total_price')} {order.get('currency')}."
    return ToolResult(text, {"order": cancel_facts(order)})


class CancelOrderArgs(OrderArgs):
    reason: CancelReason = Field(default="customer", description="why the order is cancelled")
    """Overwritten by the guard with the reason the customer confirmed."""
    idempotency_key: SkipJsonSchema[str] = ""
    """Set by the policy guard from the confirmation; empty means not confirmed."""
    confirmed_total: SkipJsonSchema[str] = ""
    """The order total the customer confirmed cancelling (set by the guard)."""


def marked_cancel(order: Mapping[str, Any], key: str) -> dict[str, Any] | None:
    """The order, when it is cancelled by this write (its refund carries the marker)."""
    if order.get("cancelled_at") is None:
        return None
    mine = any(carries(r.get("note"), key) for r in order.get("refunds") or [])
    return dict(order) if mine else None


def cancel_done(order: Mapping[str, Any], *, reconciled: bool) -> ToolResult:
    refunded = sum(
        (
            Decimal(str(t["amount"]))
            for r in order.get("refunds") or []
            for t in r.get("transactions") or []
            if t.get("kind") == "refund"
        ),
        Decimal(0),
    )
    done = {
        **cancel_facts(order),
        "cancel_reason": order.get("cancel_reason"),
        "refunded": f"{refunded:.2f}",
    }
    text = f"Cancelled order {done['order']}; refunded {done['refunded']} {done['currency']}."
    return ToolResult(text, {"cancelled": done, **({"reconciled": True} if reconciled else {})})


async def _cancel_order(args: CancelOrderArgs, ctx: BrandContext) -> ToolResult:
    if not args.idempotency_key or not args.confirmed_total:
        raise ToolError(
            CANCEL_ORDER.name, "not_confirmed", "the cancellation has not been confirmed by the customer"
        )
    key = args.idempotency_key
    order = await find_order(args.order_number, ctx)
    applied = marked_cancel(order, key)
    if applied is not None:  # this confirmation's cancel was written (a replayed turn): write nothing
        return cancel_done(applied, reconciled=True)
    name = str(order["name"])
    facts = cancel_facts(order)
    if facts["cancelled"] or facts["fulfillment_status"]:
        why = (
            "has already been cancelled" if facts["cancelled"] else "has already shipped, in whole or in part"
        )
        raise ToolError(
            CANCEL_ORDER.name, "already_fulfilled", f"order {name} {why}: it can no longer be cancelled"
        )
    if Decimal(str(order.get("total_price"))) != Decimal(args.confirmed_total):
        raise ToolError(
            CANCEL_ORDER.name,
            "terms_changed",
            f"the total of order {name} changed since the customer confirmed ({args.confirmed_total}, "
            f"now {order.get('total_price')}): a new confirmation is needed",
        )
    refund: dict[str, Any] = {
        "note": f"{CANCEL_NOTE} {marker(key)}",
        "notify": True,
        "shipping": {"full_refund": True},
        "refund_line_items": refund_lines(order, "cancel"),
    }
    if order.get("financial_status") in ("paid", "partially_refunded"):
        suggested = await calculate_refund(order, ctx, "cancel")
        refund["transactions"] = [
            {"parent_id": t["parent_id"], "amount": t["amount"], "kind": "refund", "gateway": t["gateway"]}
            for t in suggested.get("transactions") or []
            if t.get("kind") == "suggested_refund"
        ]
    base, headers = shopify(ctx)

    async def find() -> dict[str, Any] | None:
        return marked_cancel(await find_order(args.order_number, ctx), key)

    cancelled, reconciled = await written_or_read_back(
        write_json(
            CANCEL_ORDER.name,
            "shopify",
            "POST",
            f"{base}/orders/{order['id']}/cancel.json",
            headers={**headers, "Idempotency-Key": key},
            what=f"order {name}",
            json={"reason": args.reason, "email": True, "refund": refund},
        ),
        "order",
        find,
        f"the cancellation of order {name}",
    )
    return cancel_done(cancelled, reconciled=reconciled)


def cancel_written(
    args: Mapping[str, Any], artifact: Mapping[str, Any] | None, brand: BrandConfig
) -> WriteTerms:
    """The order a call cancelled (with what it refunded), or tried to."""
    done = artifact.get("cancelled") if artifact is not None else None
    if isinstance(done, Mapping):
        return WriteTerms("order_cancel", str(done["order"]), str(done["refunded"]), str(done["currency"]))
    return WriteTerms("order_cancel", named_order(args, brand))


GET_ORDER_FOR_CANCEL = ToolSpec(
    name="get_order_for_cancel",
    description="Look up one of the customer's orders by number before cancelling it: total, payment, whether it shipped.",
    args_schema=OrderArgs,
    body=_get_order_for_cancel,
)

CANCEL_ORDER = ToolSpec(
    name="cancel_order",
    description="Cancel an order that has not shipped, refunding it in full. Runs only after the customer confirmed this order.",
    args_schema=CancelOrderArgs,
    body=_cancel_order,
    writes=True,
    written=cancel_written,
)


class NoArgs(BaseModel):
    """No arguments: the customer is the authenticated one."""


async def _find_cancellable(args: NoArgs, ctx: BrandContext) -> ToolResult:
    """The customer's open orders not shipped yet, and their active subscriptions."""
    del args
    base, headers = shopify(ctx)
    email = ctx.customer_email or ""
    body = await request_json(
        "shopify", "GET", f"{base}/orders.json", headers=headers, what="your orders",
        params={"email": email, "status": "open"},
    )  # fmt: skip
    orders = [
        cancel_facts(o)
        for o in body.get("orders", [])
        if belongs_to(o.get("email"), ctx) and cancel_facts(o)["fulfillment_status"] is None
    ]
    rbase, rheaders = recharge(ctx)
    subs = await request_json(
        "recharge", "GET", f"{rbase}/subscriptions", headers=rheaders, what="your subscriptions",
        params={"email": email, "status": "active"},
    )  # fmt: skip
    active = [terms_of(s) for s in subs.get("subscriptions", []) if belongs_to(s.get("email"), ctx)]
    names = ", ".join([o["order"] for o in orders] + [s["subscription_id"] for s in active]) or "none"
    return ToolResult(
        f"Open orders and active subscriptions: {names}.", {"orders": orders, "subscriptions": active}
    )


FIND_CANCELLABLE = ToolSpec(
    name="find_cancellable",
    description="List the customer's orders that have not shipped and their active subscriptions.",
    args_schema=NoArgs,
    body=_find_cancellable,
)
