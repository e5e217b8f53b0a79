"""`exchange_item`: items of a delivered order for other variants of the same products, at the same
price, after one bound confirmation (Shopify GraphQL `returnCreate` with exchange line items).

The policy is `policy.ExchangePolicy`, its pure rules `rules`, its memory `facts.ExchangeFacts`; the
return window is the brand file's `returns.window_days`.

The router is trained on its own examples (`router_examples.jsonl`, fine class `exchange_item`)
beside our natural examples of exchanges; an exchange is not a return (docs/routing.md).
"""

from __future__ import annotations

from pathlib import Path

from tools.exchanges import EXCHANGE_ITEMS, GET_ORDER_FOR_EXCHANGE
from workflows.exchange_item.policy import ExchangePolicy
from workflows.spec import RouterSpec, Workflow

INSTRUCTIONS = """You are the exchange workflow of a customer-support team.
- Look the order up with get_order_for_exchange before saying anything about an exchange.
- If you do not have an order number, ask the customer for it.
- An item can only be exchanged for another colour or size of the same product at the same price.
- Never say an exchange is done unless exchange_items succeeded: it needs a delivered order and the
  customer's confirmation, and the system enforces both."""

WORKFLOW = Workflow(
    name="exchange_item",
    instructions=INSTRUCTIONS,
    tools=(GET_ORDER_FOR_EXCHANGE, EXCHANGE_ITEMS),
    policy=ExchangePolicy(),
    router=RouterSpec(
        description="exchange a delivered item for another colour or size of the same product",
        classes=("exchange_item",),
        examples=Path(__file__).with_name("router_examples.jsonl"),
    ),
)
