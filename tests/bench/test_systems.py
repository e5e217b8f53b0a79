"""The bench names one brand: its key and threads follow from it, and it is served whatever
SUPPORT_BRANDS_DIR says (the bench's sandbox serves the repository's brand files)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.systems import API_KEY, BRAND, bench_settings, our_thread


def test_that_the_bench_serves_its_brand_with_that_brands_key_and_threads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SUPPORT_BRANDS_DIR", str(tmp_path))  # no brand files: read, it would fail
    brands = bench_settings(None, tmp_path).brands()
    assert (BRAND, sorted(brands)) == ("acme", ["acme", "globex"])
    assert (
        API_KEY
        == {"Authorization": f"Bearer {brands[BRAND].dev_api_keys[0]}"}
        == {"Authorization": "Bearer acme-dev-key"}
    )
    assert our_thread("c-1") == "acme:c-1"
