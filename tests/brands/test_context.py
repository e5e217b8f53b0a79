"""The runtime context names its brand: no default brand, an unknown brand stops the run at once."""

from __future__ import annotations

import pytest

from brands import BRANDS_DIR, BrandConfigError, default_brands
from brands.context import BrandContext


def test_that_a_context_without_a_brand_cannot_be_built() -> None:
    with pytest.raises(TypeError, match="brand_id"):
        BrandContext()  # type: ignore[call-arg]  # the point: brand_id is required
    with pytest.raises(TypeError, match="brand_id"):
        BrandContext(
            **{"customer_id": "cus_alice", "customer_email": "alice@example.com"}
        )  # as a server builds it


def test_that_a_context_with_only_a_brand_id_carries_that_brands_configuration() -> None:
    assert BrandContext(brand_id="globex").brand == default_brands()["globex"]
    assert BrandContext(brand_id="acme").brand.display_name == "Acme Coffee"


@pytest.mark.parametrize("brand_id", ["", "initech", "ACME"])
def test_that_an_unknown_brand_is_a_configuration_error_naming_the_known_ones(brand_id: str) -> None:
    with pytest.raises(BrandConfigError, match=r"unknown brand .* \(known: acme, globex\)") as caught:
        BrandContext(brand_id=brand_id)
    assert (caught.value.path, caught.value.field) == (BRANDS_DIR, "brand_id")


def test_that_a_configuration_of_another_brand_is_refused() -> None:
    with pytest.raises(BrandConfigError, match="'acme' does not match its configuration's 'globex'"):
        BrandContext(brand_id="acme", config=default_brands()["globex"])


def test_that_a_configuration_sent_as_json_is_validated_into_the_brand() -> None:
    sent = default_brands()["acme"].model_dump(mode="json")
    assert BrandContext(brand_id="acme", config=sent).brand == default_brands()["acme"]  # type: ignore[arg-type]
