"""The per-run runtime context: which brand and which customer a turn belongs to.

Built by the API from the API key (never from the model) and passed to LangGraph as
`context=`; nodes and tools read it from `runtime.context`. It names secrets by env var
(through the brand config), never holds their values.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from brands import BrandConfig, BrandConfigError, default_brands


@dataclass(frozen=True)
class BrandContext:
    brand_id: str = "acme"
    """The brand, fixed by the API key."""
    customer_id: str = ""
    customer_email: str | None = None
    """The authenticated customer's email: tools only return this customer's records."""
    conversation_id: str = ""
    config: BrandConfig | None = None
    """The loaded brand configuration; looked up by `brand_id` when a caller passes only the id."""

    def __post_init__(self) -> None:
        # A context sent over HTTP (LangGraph server, Studio) arrives as plain JSON.
        if isinstance(self.config, Mapping):
            object.__setattr__(self, "config", BrandConfig.model_validate(self.config))

    @property
    def brand(self) -> BrandConfig:
        if self.config is not None:
            return self.config
        try:
            return default_brands()[self.brand_id]
        except KeyError:
            raise BrandConfigError(Path("brands"), "brand_id", f"unknown brand {self.brand_id!r}") from None
