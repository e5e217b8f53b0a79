"""Brand files: a bad value stops loading with the file and the field named."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from brands import BRANDS_DIR, BrandConfigError, load_brand_file


@pytest.mark.parametrize("shop", ["Initech Store", "initech/admin", "-initech", ""])
def test_that_a_shop_that_is_no_shop_handle_is_refused(tmp_path: Path, shop: str) -> None:
    data = yaml.safe_load((BRANDS_DIR / "acme.yaml").read_text(encoding="utf-8"))
    data["commerce"]["shop"] = shop
    path = tmp_path / "acme.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(BrandConfigError, match="should match pattern") as caught:
        load_brand_file(path)
    assert (caught.value.path, caught.value.field) == (path, "commerce.shop")
