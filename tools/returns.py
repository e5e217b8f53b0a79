"""Return and refund tools over the Shopify Admin REST API: the facts a return needs, and the refund.

`get_order_for_return` reads the order (total, payment, first shipment). `issue_refund` is a
write: the workflow's policy guard (`workflows/returns_refunds/`) decides whether it may
run and sets its hidden arguments (the confirmed amount and the idempotency key) in code; the
model never sees or fills them. The body checks the live order once more: still paid in full, its
total and the store's calculated refund still the confirmed amount (else a new confirmation is
needed). Then it writes the refund of every line and the shipping (`refunds/calculate.json`, then
`refunds.json`, sent once, with the `Idempotency-Key`). The refund's note carries the key
(`tools.readback.marker`): before writing, a refund already carrying it (this turn replayed after a
crash) is the answer, and after a lost answer the order's refunds are read back for it.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from pydantic import Field
from pydantic.json_schema import SkipJsonSchema

from brands import BrandConfig
from brands.context import BrandContext
from tools.commerce import shopify
from tools.errors import ToolError
from tools.http import request_json, write_json
from tools.orders import OrderArgs, describe_order, find_order, named_order
from tools.readback import carries, marker, written_or_read_back
from tools.spec import ToolResult, ToolSpec, WriteTerms
from tools.third_party import of_order

MONEY = r"\b\d{1,7}\.\d{2}\b"
REFUND_NOTE = "Return within policy, confirmed by the customer in support chat"


def return_facts(order: dict[str, Any]) -> dict[str, Any]:
    """What the return policy reads: number, total, currency, payment, and when it first shipped."""
    shipped = sorted(str(f["created_at"]) for f in order.get("fulfillments") or [] if f.get("created_at"))
    return {
        "order": str(order.get("name")),
        "total": str(order.get("total_price")),
        "currency": str(order.get("currency")),
        "financial_status": str(order.get("financial_status")),
        "shipped_at": shipped[0] if shipped else None,
    }


async def _get_order_for_return(args: OrderArgs, ctx: BrandContext) -> ToolResult:
    order = await find_order(args.order_number, ctx)
    text = f"{describe_order(order)} Order total {order.get('total_price')} {order.get('currency')}."
    return ToolResult(text, {"order": return_facts(order)}, of_order(order))


class RefundArgs(OrderArgs):
    amount: str | None = Field(default=None, pattern=MONEY, description="refund amount, e.g. 61.00")
    """What the model may say; the guard refuses any amount but the confirmed one, then sets it."""
    idempotency_key: SkipJsonSchema[str] = ""
    """Set by the policy guard from the confirmation; empty means not confirmed."""


def refund_lines(order: dict[str, Any], restock: str = "return") -> list[dict[str, Any]]:
    """Every line item in full, back in stock: the refund of a whole-order return (`return`), or of
    a cancelled order (`cancel`)."""
    return [
        {"line_item_id": item["id"], "quantity": item["quantity"], "restock_type": restock}
        for item in order.get("line_items") or []
    ]


async def calculate_refund(
    order: dict[str, Any], ctx: BrandContext, restock: str = "return"
) -> dict[str, Any]:
    """The store's suggested refund of the whole order (lines and shipping); nothing is written."""
    base, headers = shopify(ctx)
    body = await request_json(
        "shopify",
        "POST",
        f"{base}/orders/{order['id']}/refunds/calculate.json",
        headers=headers,
        what=f"order {order['name']}",
        json={
            "refund": {"shipping": {"full_refund": True}, "refund_line_items": refund_lines(order, restock)}
        },
        idempotent=True,  # a calculation: nothing is written
    )
    refund: dict[str, Any] = body.get("refund") or {}
    return refund


def _changed(order: str, confirmed: str, now: str) -> ToolError:
    return ToolError(
        ISSUE_REFUND.name,
        "terms_changed",
        f"the refundable amount of order {order} changed since the customer confirmed ({confirmed}, "
        f"now {now}): a new confirmation is needed",
    )


def marked_refund(order: dict[str, Any], key: str) -> dict[str, Any] | None:
    """The order's refund that carries this write's marker, if it was applied."""
    return next((r for r in order.get("refunds") or [] if carries(r.get("note"), key)), None)


def refund_done(order: dict[str, Any], refund: dict[str, Any], *, reconciled: bool) -> ToolResult:
    name = str(order["name"])
    total = sum((Decimal(str(t["amount"])) for t in refund.get("transactions") or []), Decimal(0))
    done = {
        "order": name,
        "amount": f"{total:.2f}",
        "currency": order["currency"],
        "refund_id": refund.get("id"),
    }
    text = f"Refunded {done['amount']} {done['currency']} for order {name}."
    return ToolResult(text, {"refund": done, **({"reconciled": True} if reconciled else {})})


async def _issue_refund(args: RefundArgs, ctx: BrandContext) -> ToolResult:
    if not args.idempotency_key or args.amount is None:
        raise ToolError(
            ISSUE_REFUND.name, "not_confirmed", "the refund has not been confirmed by the customer"
        )
    key = args.idempotency_key
    order = await find_order(args.order_number, ctx)
    applied = marked_refund(order, key)
    if applied is not None:  # this confirmation's refund was written (a replayed turn): say so, write nothing
        return refund_done(order, applied, reconciled=True)
    name, amount = str(order["name"]), Decimal(args.amount)
    if order.get("financial_status") != "paid":
        raise ToolError(
            ISSUE_REFUND.name,
            "not_refundable",
            f"order {name} is {order.get('financial_status')}, not paid: it is not refunded again",
        )
    if Decimal(str(order.get("total_price"))) != amount:
        raise _changed(name, args.amount, str(order.get("total_price")))
    suggested = await calculate_refund(order, ctx)
    sent = [t for t in suggested.get("transactions") or [] if t.get("kind") == "suggested_refund"]
    if sum((Decimal(str(t["amount"])) for t in sent), Decimal(0)) != amount:
        raise _changed(name, args.amount, ", ".join(str(t["amount"]) for t in sent) or "nothing")
    base, headers = shopify(ctx)

    async def find() -> dict[str, Any] | None:
        return marked_refund(await find_order(args.order_number, ctx), key)

    refund, reconciled = await written_or_read_back(
        write_json(
            ISSUE_REFUND.name,
            "shopify",
            "POST",
            f"{base}/orders/{order['id']}/refunds.json",
            headers={**headers, "Idempotency-Key": key},
            what=f"order {name}",
            json={
                "refund": {
                    "currency": order["currency"],
                    "notify": True,
                    "note": f"{REFUND_NOTE} {marker(key)}",
                    "shipping": {"full_refund": True},
                    "refund_line_items": refund_lines(order),
                    "transactions": [
                        {
                            "parent_id": t["parent_id"],
                            "amount": t["amount"],
                            "kind": "refund",
                            "gateway": t["gateway"],
                        }
                        for t in sent
                    ],
                }
            },
        ),
        "refund",
        find,
        f"the refund of order {name}",
    )
    return refund_done(order, refund, reconciled=reconciled)


def refund_written(
    args: Mapping[str, Any], artifact: Mapping[str, Any] | None, brand: BrandConfig
) -> WriteTerms:
    """The refund a call made (its result's `refund`), or tried: the order and the amount it named."""
    done = artifact.get("refund") if artifact is not None else None
    if isinstance(done, Mapping):
        return WriteTerms("refund", str(done["order"]), str(done["amount"]), str(done["currency"]))
    amount = args.get("amount")
    return WriteTerms("refund", named_order(args, brand), str(amount) if amount else None)


GET_ORDER_FOR_RETURN = ToolSpec(
    name="get_order_for_return",
    description="Look up one of the customer's orders by number for a return or refund: total, payment, shipping date.",
    args_schema=OrderArgs,
    body=_get_order_for_return,
)

ISSUE_REFUND = ToolSpec(
    name="issue_refund",
    description="Refund a returned order in full. Runs only after the customer confirmed this order and amount.",
    args_schema=RefundArgs,
    body=_issue_refund,
    writes=True,
    written=refund_written,
)
