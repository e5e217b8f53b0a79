"""Synthetic workflows for the brand-scale bench: registered beside the real ones to reach 30.

Each is a real `Workflow` (its subgraph compiled once, when it is declared) with its own schema
for a brand's `workflows.<name>` section: brand-specific instructions, tone and policy parameters.
They take no router class, so no turn is routed to them: they stand for the registry, the brand
files and the main graph of a deployment with dozens of workflows.
"""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from workflows.registry import REGISTRY, Registry
from workflows.spec import Params, RouterSpec, Workflow


class SyntheticParams(BaseModel):
    """A synthetic workflow's configuration for one brand (`workflows.<name>` in its file)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    instructions: str = Field(default="", max_length=2000)
    """Brand-specific instructions, after the workflow's own."""
    tone: str = Field(default="", max_length=200)
    refund_cap: Decimal = Field(default=Decimal(50), ge=0, max_digits=12, decimal_places=2)
    window_days: int = Field(default=30, ge=0, le=365)
    escalate_after_turns: int = Field(default=3, ge=1, le=20)
    languages: tuple[str, ...] = ("en",)


def synthetic_workflow(name: str) -> Workflow:
    return Workflow(
        name=name,
        router=RouterSpec(description=f"the synthetic asks of {name}", classes=()),
        instructions=f"You handle {name.replace('_', ' ')} for the customer.",
        decide=REGISTRY["order_status"].decide,
        params=Params(f"workflows.{name}", SyntheticParams),
    )


def synthetic_names(count: int) -> list[str]:
    return [f"synthetic_{n:02d}" for n in range(1, count + 1)]


def scaled_registry(total: int) -> Registry:
    """The real workflows plus synthetic ones, `total` in all."""
    extra = max(0, total - len(REGISTRY.workflows))
    return REGISTRY.with_workflows(*(synthetic_workflow(n) for n in synthetic_names(extra)))
