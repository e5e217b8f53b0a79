"""The service's one `Settings` object: prefix `SUPPORT_`; `DATABASE_URL`, `DATA_DIR`, `HOST` and
`PORT` are read as they are too.

What the service owns (environment, database, data folder, brand files, body cap, where `make run`
listens, how webhook events are retried) and where the external systems are: the model endpoint, the commerce store, the native
carriers and the tracking aggregator. An external system's URL not set in the environment comes
from `$DATA_DIR/sandbox.json`, written by `python -m sandbox` (see sandbox/README.md).

No other module reads the environment for a service setting. Outside dev, `brands()` also checks
that every credential variable the brands name is set, so a missing one stops the start. The process's settings are
`get_settings()` (read once, cached): the tools and the model factory read where the external
systems are from it. `create_app(settings)` and `open_service(settings)` take a `Settings` for what
they open themselves (the database, the data folder, brand files, the body cap); tests pass one
built from the same environment. Brand credentials are not service settings: a brand file names
the variable that holds each, read when a tool calls the system (`tools/commerce.py`).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from brands import BRANDS_DIR, BrandConfig, BrandConfigError, default_brands, load_brands

NO_BRANDS_DIR = (
    "unset, and SUPPORT_ENV is not dev: the bundled demo brands are served only with SUPPORT_ENV=dev; "
    "set SUPPORT_BRANDS_DIR to the folder of your brand files"
)


def missing_credential(directory: Path, brand: BrandConfig) -> None:
    """Raise `BrandConfigError` naming the first credential variable of `brand` that is unset or empty."""
    for where, variable in brand.credential_variables().items():
        if not os.environ.get(variable):
            raise BrandConfigError(
                directory,
                f"{brand.brand_id}: {where}",
                f"the credential variable {variable} is unset (required unless SUPPORT_ENV=dev)",
            )


class EndpointsError(Exception):
    """No endpoint is configured for a system and no sandbox is running."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SUPPORT_", extra="ignore")

    env: Literal["dev", "test", "prod"] = "prod"
    """`SUPPORT_ENV`. Fails closed: unset is `prod`. Only `dev` (set by `make run`, `make demo`,
    `make studio` and the tests) serves the bundled demo brands, accepts their dev keys and falls back
    to the sandbox's dev credentials; elsewhere `SUPPORT_BRANDS_DIR` is required, only hashed keys
    from brand files are accepted, and every credential variable a brand names must be set."""
    database_url: str | None = Field(
        default=None, validation_alias=AliasChoices("DATABASE_URL", "SUPPORT_DATABASE_URL")
    )
    data_dir: Path = Field(default=Path("var"), validation_alias=AliasChoices("DATA_DIR", "SUPPORT_DATA_DIR"))
    brands_dir: Path | None = None
    """`SUPPORT_BRANDS_DIR`: the folder of brand files (`*.yaml`) served; unset means the repository's
    `brands/`, in dev only (outside dev it is required). Read through `brands()`."""
    max_body_bytes: int = 64_000
    """A request body's cap, counted as received (chunked too): above it, 413 (`api.limits`)."""
    max_header_bytes: int = 16_384
    """The request line and headers' cap: above it, 431 (`api.limits`; `make run`'s server stops
    reading there too, `launch.http`)."""
    metrics_token: SecretStr | None = None
    """`SUPPORT_METRICS_TOKEN`: the Bearer token `GET /metrics` asks for; unset, `/metrics` is refused
    (403), never open."""
    host: str = Field(default="127.0.0.1", validation_alias="HOST")
    """Where `make run` (`launch.serve`) listens: `HOST` and `PORT` only, never `SUPPORT_PORT`, which
    Kubernetes sets to `tcp://...` for a Service named `support`."""
    port: int = Field(default=8000, validation_alias="PORT")
    workers: int = Field(default=1, ge=1, le=64, validation_alias="WORKERS")
    """`WORKERS`: how many processes `make run` serves the port with; above 1 only on PostgreSQL."""

    model_base_url: str | None = None
    """Any OpenAI-compatible endpoint; unset means the sandbox stand-in model (offline)."""
    model_api_key: SecretStr = SecretStr("sandbox-key")
    model_name: str = "sandbox"
    model_timeout_s: float = 30.0
    model_max_retries: int = 2
    router_model_timeout_s: float = Field(default=4.0, gt=0, le=60)
    """How long routing waits for the model's reading of a doubtful message (retries included);
    past it the classifier's reading stands (nodes/route.py)."""
    commerce_url: str | None = None
    carrier_ups_url: str | None = None
    carrier_fedex_url: str | None = None
    carrier_usps_url: str | None = None
    carrier_dhl_url: str | None = None
    aggregator_url: str | None = None
    carrier_timeout_s: float = 4.0
    """Per-request timeout for carriers and the aggregator: live tracking must not stall a turn."""
    webhook_max_attempts: int = Field(default=5, ge=1, le=10)
    """Tries per webhook event, the first included; only a network error, 429 or 5xx is retried."""
    webhook_base_delay_s: float = Field(default=1.0, ge=0, le=60)
    """The wait before a webhook's first retry, doubled before each next one (1, 2, 4, 8 s)."""
    webhook_timeout_s: float = Field(default=5.0, gt=0, le=60)
    """Per-attempt timeout of a webhook POST."""
    webhook_drain_s: float = Field(default=5.0, ge=0, le=300)
    """How long closing the service waits for webhook events still in flight; the rest are dropped
    (logged and counted)."""

    lease_write_back_s: float = Field(default=10.0, gt=0, le=300)
    """On PostgreSQL, the time a turn's answer may take to be written back after its deadline: a thread
    lease lives the largest brand `turn_deadline_s` plus this (`lease_ttl_s`), renewed while it runs."""

    def lease_ttl_s(self) -> float:
        """How long a thread lease lives unrenewed: a dead worker's turn waits this long for a retry."""
        return max(b.turn_deadline_s for b in self.brands().values()) + self.lease_write_back_s

    @property
    def is_dev(self) -> bool:
        return self.env == "dev"

    @property
    def is_sandbox(self) -> bool:
        return self.model_base_url is None

    def brands(self) -> Mapping[str, BrandConfig]:
        """The brands this service serves, by id: every brand file in `brands_dir` (else, in dev only,
        the bundled demo brands of `brands/`).

        A bad file, a missing folder or one without brand files is a `BrandConfigError`; so is, outside
        dev, an unset `SUPPORT_BRANDS_DIR` or an unset credential variable a brand names (the error
        names the variable): the service fails closed instead of starting without them."""
        if self.brands_dir is None:
            if not self.is_dev:
                raise BrandConfigError(BRANDS_DIR, "SUPPORT_BRANDS_DIR", NO_BRANDS_DIR)
            return default_brands()
        brands = load_brands(self.brands_dir)
        if not self.is_dev:
            for brand in brands.values():
                missing_credential(self.brands_dir, brand)
        return brands

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
def get_settings() -> Settings:
    return Settings()
