"""What `cancel_subscription` remembers between turns (the run's facts), typed."""

from __future__ import annotations

from typing import Any, NotRequired

from typing_extensions import TypedDict


class SubscriptionTerms(TypedDict):
    """A subscription as we showed it (the lookup's artifact), plus the turn it was shown in."""

    subscription_id: str
    product: str
    price: str
    interval: str
    status: str
    retention: NotRequired[dict[str, Any] | None]
    """With an offer: the brand's retention offer as made (`policy.retention_of`)."""
    turn: int


class CancelFacts(TypedDict, total=False):
    offer: SubscriptionTerms | None
    """The retention offer made, with the terms it was made on; its `retention` (`{"text", "terms"}`
    or None) is the brand's offer as made then, honoured whatever the brand file says later."""
    asked: SubscriptionTerms | None
    """The confirmation question asked: these terms, in that turn."""
    confirmed: SubscriptionTerms | None
    """The customer's yes: the terms asked, copied, with the turn of the yes."""
    cancelled: SubscriptionTerms | None
    declined: int
    """The turn the customer declined the offer in."""
    accepted: int
    """The turn the customer accepted the offer in."""
    kept: int
    """The turn the customer said not to cancel in."""
    choices: dict[str, Any] | None
    """The open orders and active subscriptions we asked the customer to choose between
    (`workflows.kit.cancellable`)."""
    other_chosen: int
    """The turn the customer chose an order, not a subscription, to cancel."""
    policy_refusals: NotRequired[int]
