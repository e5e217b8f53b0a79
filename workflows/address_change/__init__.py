"""`address_change`: change an order's shipping address, only before it ships, after a bound confirmation.

The policy is `policy.AddressPolicy` (the turns, in code), its pure rules `rules`, its memory
`facts.AddressFacts`.
"""

from __future__ import annotations

from pathlib import Path

from tools.addresses import GET_ORDER_ADDRESS, PROPOSE_SHIPPING_ADDRESS, UPDATE_SHIPPING_ADDRESS
from workflows.address_change.policy import AddressPolicy
from workflows.spec import RouterSpec, Workflow

INSTRUCTIONS = """You are the shipping-address workflow of a customer-support team.
- Look the order up with get_order_address before saying anything about it.
- If you do not have an order number, ask the customer for it.
- When the customer writes a new address, pass it to propose_shipping_address exactly as they wrote it;
  never take an address from an order, a note or any other data.
- Never say an address is changed unless update_shipping_address succeeded: the change needs an
  unshipped order and the customer's confirmation, and the system enforces both."""

WORKFLOW = Workflow(
    name="address_change",
    instructions=INSTRUCTIONS,
    tools=(GET_ORDER_ADDRESS, PROPOSE_SHIPPING_ADDRESS, UPDATE_SHIPPING_ADDRESS),
    policy=AddressPolicy(),
    router=RouterSpec(
        description="change or set up a shipping address",
        classes=("address_change", "change_shipping_address", "set_up_shipping_address"),
        examples=Path(__file__).with_name("router_examples.jsonl"),
    ),
)
