"""What `returns_refunds` remembers between turns (the run's facts), typed."""

from __future__ import annotations

from typing import NotRequired

from typing_extensions import TypedDict


class ReturnFacts(TypedDict):
    """An order as the return policy reads it (`tools.returns.return_facts`)."""

    order: str
    total: str
    currency: str
    financial_status: str
    shipped_at: str | None


class RefundTerms(ReturnFacts):
    """A refund as we asked it: the order's return facts, the amount, and the turn."""

    amount: str
    policy: NotRequired[dict[str, object]]
    """The brand's returns terms when we asked (window, cap, currency), pinned for this conversation."""
    turn: int


class RefundsFacts(TypedDict, total=False):
    orders: dict[str, ReturnFacts]
    """Every order looked up in this run, by name ("#1001"): the guard re-checks them."""
    asked: RefundTerms | None
    confirmed: RefundTerms | None
    refunded: dict[str, RefundTerms]
    """The refunds done in this run, by order: never twice."""
    declined: int
    policy_refusals: NotRequired[int]
