"""A brand's `workflows.<name>` sections: validated at start by that workflow's own schema."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from bench.synthetic_workflows import SyntheticParams, scaled_registry
from brands import BrandConfig, default_brands, load_brand_file
from workflows.registry import REGISTRY as REAL
from workflows.registry import RegistryError

REGISTRY = scaled_registry(len(REAL.workflows) + 2)  # the real workflows, synthetic_01 and synthetic_02


def brand_with(workflows: object) -> BrandConfig:
    data = default_brands()["acme"].model_dump(mode="json")
    return BrandConfig.model_validate({**data, "workflows": workflows})


def test_that_a_mapping_of_workflows_enables_them_and_carries_each_ones_configuration(tmp_path: Path) -> None:
    data = default_brands()["acme"].model_dump(mode="json")
    data["workflows"] = {
        "order_status": None,
        "handoff": None,
        "synthetic_01": {"instructions": "Mention the loyalty card.", "tone": "formal", "window_days": 14},
    }
    path = tmp_path / "acme.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    brand = load_brand_file(path)
    REGISTRY.check_brand(brand)
    assert list(brand.workflows) == ["order_status", "handoff", "synthetic_01"]
    assert REGISTRY["synthetic_01"].params_for(brand) == SyntheticParams(
        instructions="Mention the loyalty card.", tone="formal", window_days=14
    )
    assert REGISTRY["synthetic_01"].params_for(brand).refund_cap == Decimal(50)  # type: ignore[union-attr]
    assert REGISTRY["order_status"].params_for(brand) is None


@pytest.mark.parametrize(
    ("workflows", "reason"),
    [
        (
            {"synthetic_01": {"window_days": 400}},
            "brand 'acme': workflows.synthetic_01.window_days: Input should be less than or equal to 365",
        ),
        (
            {"synthetic_02": {"colour": "blue"}},
            "brand 'acme': workflows.synthetic_02.colour: Extra inputs are not permitted",
        ),
        (
            {"returns_refunds": {"window_days": 10}},
            "brand 'acme': workflows.returns_refunds: this workflow takes no configuration here "
            "(its parameters are under `returns`)",
        ),
        (
            {"order_status": {"tone": "curt"}},
            "brand 'acme': workflows.order_status: this workflow takes no configuration here",
        ),
    ],
)
def test_that_a_section_its_workflow_refuses_stops_the_start_naming_brand_and_field(
    workflows: dict, reason: str
) -> None:
    with pytest.raises(RegistryError) as refused:
        REGISTRY.check_brand(brand_with(workflows))
    assert str(refused.value) == reason
