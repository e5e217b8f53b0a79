"""The brands the sandbox stands in for, read from the brand files: each brand's id, its shop and
how the shop names its orders.

The files are the service's (`brands/*.yaml`, or the folder `python -m sandbox --brands-dir` names,
which defaults to `$SUPPORT_BRANDS_DIR`). The sandbox knows nothing of the service's code
(tests/test_layers.py), so it reads the fields it needs from the YAML itself, as an outside
system provisioned from the same files would; the service validates the whole file
(`brands.BrandConfig`) and tests/sandbox/test_sandbox_brands.py holds the two readings together.
From these the sandbox derives its shops and seed data (`sandbox.commerce.seed`) and the dev
credentials every server accepts (`sandbox.accounts`).

`BrandFileError(path, field)` names the file and the field it could not read.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

REPO_BRANDS_DIR = Path(__file__).resolve().parent.parent / "brands"
"""The repository's brand files (acme, globex): what the servers serve unless told otherwise."""


class BrandFileError(ValueError):
    """A brand folder or file the sandbox cannot read; names the path and the field."""

    def __init__(self, path: Path, field: str, reason: str) -> None:
        super().__init__(f"{path}: {field}: {reason}")
        self.path = path
        self.field = field


@dataclass(frozen=True)
class SandboxBrand:
    brand_id: str
    shop: str
    """The brand's shop in the commerce store (`commerce.shop`): its path `/shops/{shop}`."""
    order_name: tuple[str, str] = ("#", "")
    """How the shop names its orders around the number (`commerce.order_name`: prefix, suffix)."""


def _text(path: Path, data: dict[str, Any], *keys: str) -> str:
    value: Any = data
    for key in keys:
        value = value.get(key) if isinstance(value, dict) else None
    if not isinstance(value, str) or not value:
        raise BrandFileError(path, ".".join(keys), "missing, or not a text")
    return value


def read_brand_file(path: Path) -> SandboxBrand:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise BrandFileError(path, "<yaml>", str(exc)) from exc
    if not isinstance(data, dict):
        raise BrandFileError(path, "<root>", "not a mapping")
    naming = (data.get("commerce") or {}).get("order_name") or {}
    if not isinstance(naming, dict):
        raise BrandFileError(path, "commerce.order_name", "not a mapping")
    order_name = (str(naming.get("prefix", "#")), str(naming.get("suffix", "")))
    return SandboxBrand(
        brand_id=_text(path, data, "brand_id"),
        shop=_text(path, data, "commerce", "shop"),
        order_name=order_name,
    )


def read_brands(directory: Path = REPO_BRANDS_DIR) -> tuple[SandboxBrand, ...]:
    """Every `*.yaml` brand file in `directory`, in file-name order, as the service loads them."""
    paths = sorted(directory.glob("*.yaml"))
    if not paths:
        reason = "no brand files (*.yaml) in this folder" if directory.is_dir() else "no such folder"
        raise BrandFileError(directory, "<folder>", reason)
    brands: dict[str, SandboxBrand] = {}
    for path in paths:
        brand = read_brand_file(path)
        if brand.brand_id in brands:
            raise BrandFileError(path, "brand_id", f"duplicate brand {brand.brand_id!r}")
        brands[brand.brand_id] = brand
    return tuple(brands.values())


@cache
def demo_brands() -> tuple[SandboxBrand, ...]:
    """The repository's brands: every server's default."""
    return read_brands(REPO_BRANDS_DIR)


def shops_of(brands: Iterable[SandboxBrand]) -> tuple[str, ...]:
    """The distinct shops of `brands`, in order (two brands may share one shop)."""
    return tuple(dict.fromkeys(brand.shop for brand in brands))
