"""The invoices workflow's one tool: the order's invoice lines, read from the store over HTTP."""

from __future__ import annotations

from pydantic import Field

from brands.context import BrandContext
from routing.ids import ORDER_DIGITS
from tools.orders import OrderArgs, find_order
from tools.spec import ToolResult, ToolSpec


class InvoiceArgs(OrderArgs):
    order_number: str = Field(pattern=rf"\b{ORDER_DIGITS}\b", description="order number, e.g. 1001")


async def _get_invoice(args: InvoiceArgs, ctx: BrandContext) -> ToolResult:
    order = await find_order(args.order_number, ctx)  # the customer's own order, or not found
    text = (
        f"Invoice for order {order.get('name')}: total {order.get('total_price')} {order.get('currency')}, "
        f"payment {order.get('financial_status')}. A copy is sent to the order's email address."
    )
    return ToolResult(
        text, {"invoice": {"order": str(order.get("name")), "total": str(order.get("total_price"))}}
    )


GET_INVOICE = ToolSpec(
    name="get_invoice",
    description="Look up the invoice of one of the customer's orders by its number.",
    args_schema=InvoiceArgs,
    body=_get_invoice,
)
