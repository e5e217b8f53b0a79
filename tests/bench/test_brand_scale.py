"""The brand-scale bench's parts that need no API process: its brand files, its verdict."""

from __future__ import annotations

from pathlib import Path

from bench.brand_scale import Api, generate, report
from bench.synthetic_workflows import scaled_registry
from brands import load_brands


def test_that_the_generated_brands_load_and_each_workflow_section_passes_its_schema(tmp_path: Path) -> None:
    generate(tmp_path, brands=12, workflows=30)
    brands = load_brands(tmp_path)
    registry = scaled_registry(30)
    for brand in brands.values():
        registry.check_brand(brand)
    assert len(brands) == 12
    assert {"acme", "globex"} <= set(brands)
    sizes = [len(b.workflows) for b in brands.values() if b.brand_id.startswith("brand")]
    assert max(sizes) == 30 and min(sizes) >= 15
    first = brands["brand0001"]
    params = registry["synthetic_20"].params_for(first)
    assert params is not None and params.instructions.startswith("For brand0001: ")  # type: ignore[attr-defined]


def api(
    label: str, brands: int, workflows: int, start_s: float, rss: float, turn_s: float, graphs: int
) -> Api:
    measured = Api(
        label, Path("."), workflows, Path("."), start_s=start_s, rss_started_mb=rss, rss_after_mb=rss
    )
    measured.turns_s = [turn_s] * 5
    measured.figures = {"brands": brands, "workflows": workflows, "graphs_compiled": graphs}
    return measured


def test_that_the_bench_fails_when_a_target_is_missed() -> None:
    two = api("2 brands", 2, 5, 2.0, 130, 0.040, 6)
    good = {"load_before": "1, 1, 1", "load_after": "1, 1, 1", "generated_s": 1.0}
    _, ok = report({**good, "apis": [two, api("1000 brands", 1000, 30, 4.0, 200, 0.043, 31)]})
    assert ok
    for missed in (
        api("1000 brands", 1000, 30, 5.5, 200, 0.043, 31),  # slow start
        api("1000 brands", 1000, 30, 4.0, 501, 0.043, 31),  # memory
        api("1000 brands", 1000, 30, 4.0, 200, 0.045, 31),  # turn time 1.125x
        api("1000 brands", 1000, 30, 4.0, 200, 0.043, 1031),  # a graph compiled per brand
    ):
        text, ok = report({**good, "apis": [two, missed]})
        assert not ok, text
        assert "MISSED" in text
