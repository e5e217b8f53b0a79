"""The per-run runtime context: which brand and which customer a turn belongs to.

Built by the API from the API key (never from the model) and passed to LangGraph as
`context=`; nodes and tools read it from `runtime.context`. It names secrets by env var
(through the brand config), never holds their values.

A context always names its brand: there is no default brand, so a run without one fails before
any node runs, and so does an unknown brand (`BrandConfigError`) or a configuration of another brand.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Protocol, cast

from pydantic import PlainValidator
from pydantic.json_schema import SkipJsonSchema

from brands import BRANDS_DIR, BrandConfig, BrandConfigError, default_brands


class LookupLedger(Protocol):
    """Where each tracking lookup is costed; `accounting.costs.CostLedger` in the API process."""

    async def record_lookup(
        self, *, lookup_id: str, brand_id: str, thread_id: str, carrier: str, via: str,
        tracking_number: str, outcome: str, cost: Decimal, currency: str,
    ) -> None: ...  # fmt: skip


class ModelCallLedger(Protocol):
    """Where each model call's tokens are costed; `accounting.costs.CostLedger` in the API process."""

    async def record_model_call(
        self, *, call_id: str, brand_id: str, thread_id: str, workflow: str, model: str,
        input_tokens: int, output_tokens: int, cost: Decimal, currency: str,
    ) -> None: ...  # fmt: skip


class CostSink(LookupLedger, ModelCallLedger, Protocol):
    """The cost ledger as a run sees it: tracking lookups and model calls, each costed for the brand."""


def thread_id(brand_id: str, conversation_id: str) -> str:
    """The checkpoint thread of a brand's conversation: tier one keys every thread and row by brand."""
    return f"{brand_id}:{conversation_id}"


def _as_is(value: object) -> object:
    return value


@dataclass(frozen=True)
class BrandContext:
    brand_id: str
    """The brand, fixed by the API key. Required: a run without a brand is an error, never a default brand."""
    customer_id: str = ""
    customer_email: str | None = None
    """The customer's email as the brand's integration sent it: tools only return records on this email."""
    customer_verified: bool = False
    """The brand's integration signed this customer in (not merely typed an email): only then may a
    workflow that writes run (`nodes/route.py: dispatch` hands the ask off as `unverified` otherwise)."""
    conversation_id: Annotated[str, SkipJsonSchema()] = ""
    """The brand's conversation id, set by the API (on a LangGraph server the thread is the conversation)."""
    config: Annotated[BrandConfig | None, SkipJsonSchema()] = None
    """The loaded brand configuration, set by the API; looked up by `brand_id` in the repository's brand
    files when a caller passes only the id (a LangGraph server's context looks in the brands folder the
    settings name, see `launch/studio_graph.py`). Not in the JSON context schema: Studio offers only what
    a caller sets (brand and customer)."""
    costs: Annotated[CostSink | None, PlainValidator(_as_is), SkipJsonSchema()] = field(
        default=None, compare=False, repr=False
    )
    """The cost ledger tracking lookups and model calls write to, set by the API per process. Not part of the JSON
    context schema (a LangGraph server cannot set it; its lookups go unrecorded): a handle, not data."""

    def __post_init__(self) -> None:
        # A context sent over HTTP (LangGraph server, Studio) arrives as plain JSON.
        if isinstance(self.config, Mapping):
            object.__setattr__(self, "config", BrandConfig.model_validate(self.config))
        if self.config is None:
            object.__setattr__(self, "config", brand_named(self.brand_id, default_brands(), BRANDS_DIR))
        elif self.config.brand_id != self.brand_id:
            raise BrandConfigError(
                BRANDS_DIR,
                "brand_id",
                f"{self.brand_id!r} does not match its configuration's {self.config.brand_id!r}",
            )

    @property
    def brand(self) -> BrandConfig:
        """The brand's configuration: given, or looked up by `brand_id` when the context was built."""
        return cast(BrandConfig, self.config)


def brand_named(brand_id: str, brands: Mapping[str, BrandConfig], directory: Path) -> BrandConfig:
    """`brand_id`'s configuration among `brands` (loaded from `directory`), else a `BrandConfigError`."""
    try:
        return brands[brand_id]
    except (KeyError, TypeError):
        known = ", ".join(sorted(brands)) or "none"
        raise BrandConfigError(
            directory, "brand_id", f"unknown brand {brand_id!r} (known: {known})"
        ) from None
