"""`order_status`: where is my order. Order -> fulfilment -> carrier tracking -> a reply with the real status.

One tool, `get_order` (`tools/orders.py`): the store's order and fulfilment, then live tracking from
the carrier's own API (UPS, FedEx, USPS, DHL), the aggregator only for other carriers, every
lookup costed in the ledger (`tools/carriers/`, docs/carriers.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from langchain_core.messages import AnyMessage

from tools.orders import GET_ORDER
from workflows.kit.lookup import standard_outcome
from workflows.kit.policy import Outcome
from workflows.spec import RouterSpec, Workflow

INSTRUCTIONS = """You are the order-status workflow of a customer-support team.
Your only job: tell the customer the real status of their order.
- Look the order up with get_order before saying anything about it; never guess a status or a date.
- If you do not have an order number, ask the customer for it.
- Do not promise refunds, cancellations or changes: other workflows own those."""


def decide(transcript: Sequence[AnyMessage]) -> Outcome:
    return standard_outcome(transcript, GET_ORDER.name, "resolved")


WORKFLOW = Workflow(
    name="order_status",
    instructions=INSTRUCTIONS,
    tools=(GET_ORDER,),
    decide=decide,
    router=RouterSpec(
        description="where an order or parcel is, tracking, when it arrives, a delivery that never came",
        classes=("order_status", "track_order", "delivery_period"),
        examples=Path(__file__).with_name("router_examples.jsonl"),
    ),
)
