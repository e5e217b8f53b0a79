"""Where the external systems are: the model endpoint, the commerce store, carriers, the aggregator.

Read from the environment (`SUPPORT_MODEL_BASE_URL`, `SUPPORT_COMMERCE_URL`,
`SUPPORT_CARRIER_<NAME>_URL`, `SUPPORT_AGGREGATOR_URL`, ...). A URL not set there comes from
`$DATA_DIR/sandbox.json`, written by `python -m sandbox` (see sandbox/README.md).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class EndpointsError(Exception):
    """No endpoint is configured for a system and no sandbox is running."""


class Endpoints(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SUPPORT_", extra="ignore")

    model_base_url: str | None = None
    model_api_key: SecretStr = SecretStr("sandbox-key")
    model_name: str = "sandbox"
    model_timeout_s: float = 30.0
    model_max_retries: int = 2
    commerce_url: str | None = None
    carrier_ups_url: str | None = None
    carrier_fedex_url: str | None = None
    carrier_usps_url: str | None = None
    carrier_dhl_url: str | None = None
    aggregator_url: str | None = None
    carrier_timeout_s: float = 4.0
    """Per-request timeout for carriers and the aggregator: live tracking must not stall a turn."""
    data_dir: Path = Field(default=Path("var"), validation_alias=AliasChoices("DATA_DIR", "SUPPORT_DATA_DIR"))

    @property
    def is_sandbox(self) -> bool:
        return self.model_base_url is None

    def sandbox_file(self) -> dict[str, object]:
        path = self.data_dir / "sandbox.json"
        try:
            return json.loads(path.read_text())
        except FileNotFoundError as exc:
            raise EndpointsError(
                f"no model endpoint configured and no sandbox running ({path} missing)"
            ) from exc

    def model_url(self) -> str:
        if self.model_base_url:
            return self.model_base_url
        return f"{self.sandbox_file()['model']}/v1"

    def commerce(self) -> str:
        if self.commerce_url:
            return self.commerce_url
        return str(self.sandbox_file()["commerce"])

    def carrier(self, name: str) -> str:
        """Base URL of a native carrier's API (`ups`, `fedex`, `usps`, `dhl`)."""
        configured = getattr(self, f"carrier_{name}_url", None)
        if configured:
            return str(configured)
        urls = self.sandbox_file().get("carriers")
        if not isinstance(urls, dict) or not urls.get(name):
            raise EndpointsError(f"no URL for carrier {name!r}: set SUPPORT_CARRIER_{name.upper()}_URL")
        return str(urls[name])

    def aggregator(self) -> str:
        """Base URL of the tracking aggregator's API."""
        if self.aggregator_url:
            return self.aggregator_url
        url = self.sandbox_file().get("aggregator")
        if not url:
            raise EndpointsError("no URL for the tracking aggregator: set SUPPORT_AGGREGATOR_URL")
        return str(url)


@cache
def get_endpoints() -> Endpoints:
    return Endpoints()
