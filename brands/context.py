"""The per-run runtime context: which brand and which customer a turn belongs to.

Built by the API from the API key (never from the model) and passed to LangGraph as
`context=`; nodes and tools read it from `runtime.context`. It names secrets by env var
(through the brand config), never holds their values.
"""

from __future__ import annotations

from dataclasses import dataclass

from brands import BrandConfig, default_brands


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

    @property
    def brand(self) -> BrandConfig:
        return self.config or default_brands()[self.brand_id]
