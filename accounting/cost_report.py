"""The automation report's cost lines: model and carrier cost, per conversation and per automated one.

From the cost ledger (`accounting.costs`): every model call's tokens at the brand's `model_price`
and every tracking lookup at its carrier's price, for the rows written in the report's range. Per
conversation divides by the conversations opened in the range; per automated conversation divides
by the automated ones (the conversations the brand is billed for), so beside
`price_per_automated_conversation` it shows the brand's margin. The figures are pure arithmetic on
what the ledger holds (`summarise_costs`).

A kind's figures count its rows in the brand's current currency for that kind (`model_price.currency`,
`carriers.currency`); rows in another (a currency changed within the range) are listed apart in
`other_currencies`, never converted. The total and the margin are given only when both kinds share
one currency.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from pydantic import BaseModel

from accounting.costs import Spent
from brands import BrandConfig

PLACES = 6


class CostLine(BaseModel):
    currency: str
    count: int
    """Model calls, or tracking lookups."""
    amount: float
    per_conversation: float | None
    """`amount` over the conversations opened in the range; null when none was."""
    per_automated_conversation: float | None
    """`amount` over the automated conversations; null when none was."""


class ModelCostLine(CostLine):
    input_tokens: int
    output_tokens: int


class OtherCurrency(BaseModel):
    kind: str
    currency: str
    count: int
    amount: float


class Costs(BaseModel):
    """What serving the brand's conversations cost in the range."""

    model: ModelCostLine
    carrier: CostLine
    total: CostLine | None
    """Model plus carrier, when both are in one currency; else null."""
    margin_per_automated_conversation: float | None
    """`price_per_automated_conversation` minus the total per automated conversation (read in the
    costs' currency); null without a total or an automated conversation."""
    other_currencies: list[OtherCurrency]


def _per(amount: Decimal, n: int) -> float | None:
    return round(float(amount / n), PLACES) if n else None


def _line(currency: str, rows: Sequence[Spent], conversations: int, automated: int) -> dict:
    amount = sum((r.amount for r in rows), Decimal(0))
    return {
        "currency": currency,
        "count": sum(r.count for r in rows),
        "amount": round(float(amount), PLACES),
        "per_conversation": _per(amount, conversations),
        "per_automated_conversation": _per(amount, automated),
    }


def summarise_costs(brand: BrandConfig, spent: Sequence[Spent], conversations: int, automated: int) -> Costs:
    """The report's cost lines from the ledger's sums for the range (pure)."""
    model_currency, carrier_currency = brand.model_price.currency, brand.carriers.currency
    models = [s for s in spent if s.kind == "model" and s.currency == model_currency]
    lookups = [s for s in spent if s.kind == "carrier" and s.currency == carrier_currency]
    others = [s for s in spent if s not in models and s not in lookups]
    model = ModelCostLine(
        **_line(model_currency, models, conversations, automated),
        input_tokens=sum(s.input_tokens for s in models),
        output_tokens=sum(s.output_tokens for s in models),
    )
    carrier = CostLine(**_line(carrier_currency, lookups, conversations, automated))
    total = margin = None
    if model_currency == carrier_currency:
        total = CostLine(**_line(model_currency, [*models, *lookups], conversations, automated))
        each = sum((s.amount for s in [*models, *lookups]), Decimal(0))
        if automated:
            price = Decimal(str(brand.price_per_automated_conversation))
            margin = round(float(price - each / automated), PLACES)
    return Costs(
        model=model,
        carrier=carrier,
        total=total,
        margin_per_automated_conversation=margin,
        other_currencies=[
            OtherCurrency(
                kind=s.kind, currency=s.currency, count=s.count, amount=round(float(s.amount), PLACES)
            )
            for s in others
        ],
    )
