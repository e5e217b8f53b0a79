"""What `address_change` remembers between turns (the run's facts), typed."""

from __future__ import annotations

from typing import Any, NotRequired

from typing_extensions import TypedDict


class AddressTerms(TypedDict):
    """A change as we asked it: this order, this address (Shopify's fields), in that turn."""

    order_id: str
    order_number: str
    order_name: NotRequired[str | None]
    """The store's name of the order ("#1002"); absent in terms recorded before it was kept."""
    address: dict[str, str]
    turn: int


class AddressFacts(TypedDict, total=False):
    order: dict[str, Any] | None
    """The order looked up (`tools.addresses.order_summary`): this customer's, checked unshipped."""
    proposal: dict[str, str] | None
    """An address the customer gave before naming the order."""
    asked: AddressTerms | None
    confirmed: AddressTerms | None
    changed: AddressTerms
    kept: int
    customer_said: list[str]
    """The customer's latest messages: every field of a new address must appear in them."""
    policy_refusals: NotRequired[int]
