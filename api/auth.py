"""API key -> brand. Tier one: the key alone fixes the brand; compared in constant time."""

from __future__ import annotations

import hmac
from collections.abc import Mapping

from brands import BrandConfig, hash_key


class KeyRing:
    """Every accepted key hash and the brand it belongs to."""

    def __init__(self, brands: Mapping[str, BrandConfig], *, dev: bool) -> None:
        self._entries = [(h, cfg) for cfg in brands.values() for h in cfg.key_hashes(dev=dev)]
        owners: dict[str, str] = {}
        for digest, cfg in self._entries:
            other = owners.setdefault(digest, cfg.brand_id)
            if other != cfg.brand_id:
                # One key, two brands: which brand a request belongs to would be a guess. Refuse to start.
                raise ValueError(f"an API key hash is configured for both {other!r} and {cfg.brand_id!r}")

    def brand_for(self, key: str) -> BrandConfig | None:
        digest = hash_key(key)
        found: BrandConfig | None = None
        for known, cfg in self._entries:
            if hmac.compare_digest(known, digest):
                found = cfg
        return found
