"""`exchange_item`: items of a delivered order for other variants of the same products, at the same
price, after one bound confirmation (Shopify GraphQL `returnCreate` with exchange line items).

The policy is `policy.ExchangePolicy`, its pure rules `rules`, its memory `facts.ExchangeFacts`; the
return window is the brand file's `returns.window_days`.

In the registry since the router was retrained with our natural examples, which hold the fine class
`exchange_item`; `router_examples.jsonl` joins the router's examples at the next
`python -m workflows train-router` (the artefact's example count must match the registry's files).
"""

from __future__ import annotations

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
        examples=None,  # router_examples.jsonl joins the examples at the next `python -m workflows train-router`
    ),
)
