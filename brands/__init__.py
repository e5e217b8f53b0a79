"""Brand configuration: one YAML file per brand, validated into `BrandConfig` at startup.

A bad file stops startup with `BrandConfigError(path, field)`. Credentials appear by the name of
the environment variable that holds them, never by value.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

BRANDS_DIR = Path(__file__).parent

WorkflowName = Literal["order_status", "cancel_subscription", "returns_refunds", "address_change", "handoff"]


class BrandConfigError(Exception):
    """A brand file that cannot be loaded; names the file and the field."""

    def __init__(self, path: Path, field: str, reason: str) -> None:
        super().__init__(f"{path}: {field}: {reason}")
        self.path = path
        self.field = field


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CommerceConfig(_Strict):
    shop: str
    shopify_token_env: str = Field(pattern=r"^[A-Z][A-Z0-9_]*$")
    recharge_token_env: str = Field(pattern=r"^[A-Z][A-Z0-9_]*$")


class BrandConfig(_Strict):
    brand_id: str = Field(pattern=r"^[a-z][a-z0-9_-]{1,31}$")
    display_name: str
    tone: str = "friendly and concise"
    workflows: tuple[WorkflowName, ...]
    commerce: CommerceConfig
    api_key_sha256: tuple[str, ...] = ()
    dev_api_keys: tuple[str, ...] = ()
    price_per_automated_conversation: float = 0.0

    def key_hashes(self, *, dev: bool) -> tuple[str, ...]:
        """Hashes of the keys accepted for this brand; dev keys only in the dev environment."""
        dev_hashes = tuple(hash_key(k) for k in self.dev_api_keys) if dev else ()
        return self.api_key_sha256 + dev_hashes


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def load_brand_file(path: Path) -> BrandConfig:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return BrandConfig.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or "<root>"
        raise BrandConfigError(path, field, first["msg"]) from exc
    except yaml.YAMLError as exc:
        raise BrandConfigError(path, "<yaml>", str(exc)) from exc


def load_brands(directory: Path = BRANDS_DIR) -> Mapping[str, BrandConfig]:
    """Load every `*.yaml` brand in `directory`, keyed by brand id."""
    brands: dict[str, BrandConfig] = {}
    for path in sorted(directory.glob("*.yaml")):
        cfg = load_brand_file(path)
        if cfg.brand_id in brands:
            raise BrandConfigError(path, "brand_id", f"duplicate brand {cfg.brand_id!r}")
        brands[cfg.brand_id] = cfg
    return brands


@cache
def default_brands() -> Mapping[str, BrandConfig]:
    return load_brands(BRANDS_DIR)
