"""What `cancel_order` remembers between turns (the run's facts), typed."""

from __future__ import annotations

from typing import Any, NotRequired

from typing_extensions import TypedDict


class CancelOrderTerms(TypedDict):
    """A cancellation as we asked it: the order, its total (refunded in full), the reason, the turn."""

    order: str
    order_id: str
    total: str
    currency: str
    items: list[str]
    reason: str
    turn: int


class CancelOrderFacts(TypedDict, total=False):
    orders: dict[str, dict[str, Any]]
    """Every order looked up in this run, by name ("#1002"): the guard re-checks them."""
    reason: str | None
    """A reason the customer gave before the confirmation (Shopify's enum)."""
    choices: dict[str, Any] | None
    """The open orders and active subscriptions we asked the customer to choose between."""
    asked: CancelOrderTerms | None
    confirmed: CancelOrderTerms | None
    cancelled: dict[str, Any]
    """The cancellations done in this run, by order: never twice."""
    kept: int
    wants_cancel: int
    """The turn whose text asked to cancel (or answered which): only then is a confirmation asked."""
    other_chosen: int
    """The turn the customer chose a subscription, not an order, to cancel."""
    policy_refusals: NotRequired[int]
