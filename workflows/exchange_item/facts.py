"""What `exchange_item` remembers between turns (the run's facts), typed."""

from __future__ import annotations

from typing import Any, NotRequired

from typing_extensions import TypedDict


class Swap(TypedDict):
    """One item of the order for another variant of its product, as we showed it."""

    fulfillment_line_item_id: str
    product: str
    option: str
    variant_from: str
    variant_id: str
    variant: str
    price: str
    quantity: int


class ExchangeTerms(TypedDict):
    """An exchange as we asked it: the order, every swap collected, the terms shown, the turn."""

    order: str
    currency: str
    swaps: list[Swap]
    window_days: int
    """The brand's return window when we asked (the terms shown, pinned for this conversation)."""
    turn: int


class ExchangeFacts(TypedDict, total=False):
    order: dict[str, Any] | None
    """The order looked up (`tools.exchanges.exchange_facts`): this customer's, delivered."""
    wanted: list[Swap]
    """The swaps collected so far, before the one confirmation."""
    asked: ExchangeTerms | None
    confirmed: ExchangeTerms | None
    exchanged: dict[str, Any]
    """The exchanges done in this run, by order: never twice."""
    kept: int
    policy_refusals: NotRequired[int]
