"""`python -m bench.sanitise` in quick mode: the inputs are what the bench says, the figures add up."""

from __future__ import annotations

import pytest

from bench.sanitise import main, ordinary, padding

NAMES = ["mixed padding", "ordinary text, ASCII", "ordinary text, multilingual"]


def test_that_the_bench_prints_and_returns_consistent_figures_for_each_input(
    capsys: pytest.CaptureFixture[str],
) -> None:
    figures = main(["--size", "20000", "--repeat", "1"])
    printed = capsys.readouterr().out
    assert [name for name in figures if name in NAMES] == NAMES
    for name in NAMES:
        f = figures[name]
        assert 19_990 <= f["bytes"] <= 20_000
        assert f["ratio"] == pytest.approx(f["ms_per_mb"] / f["translate_ms_per_mb"])
        assert f"{f['ms_per_mb']:.1f}" in printed
    assert figures["mixed padding"]["removed"] == {
        "zero_width": 824,
        "bidi": 1288,
        "variation_selector": 1016,
        "filler": 430,
        "format": 98,
        "tag": 660,
        "whitespace": 1379,
        "repeat": 2747,
    }
    assert (
        figures["ordinary text, ASCII"]["removed"] == figures["ordinary text, multilingual"]["removed"] == {}
    )
    assert figures["target_met"] is None
    assert "target <= 20 ms per MB of padding: not judged below 1 MB" in printed


def test_that_the_inputs_are_deterministic_and_hold_what_they_claim() -> None:
    pad, text, world = padding(5000), ordinary(5000), ordinary(5000, multilingual=True)
    assert (pad, text, world) == (padding(5000), ordinary(5000), ordinary(5000, multilingual=True))
    assert text.isascii() and not world.isascii() and "\u200d" in world
    assert {"\u200b", "\u202e", "\u3164", "\xad"} <= set(pad) and any(
        0xE0000 <= ord(c) <= 0xE007F for c in pad
    )
