"""Return and refund tools over the Shopify Admin REST API: the facts a return decision needs.

Read only: the sandbox store has no refund endpoint yet, so the workflow decides eligibility in
code (`graph/workflows/policy.py`) and hands off what it cannot approve; no refund is written.
"""

from __future__ import annotations

from typing import Any

from brands.context import BrandContext
from tools.orders import OrderArgs, describe_order, find_order
from tools.spec import ToolResult, ToolSpec


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
    return ToolResult(describe_order(order), {"order": return_facts(order)})


GET_ORDER_FOR_RETURN = ToolSpec(
    name="get_order_for_return",
    description="Look up one of the customer's orders by number for a return or refund: total, payment, shipping date.",
    args_schema=OrderArgs,
    body=_get_order_for_return,
)
