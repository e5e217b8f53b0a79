"""Limits per brand (`service.admission`): the bucket's arithmetic, the concurrency count, brands apart."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from brands import BrandConfig, default_brands
from service.admission import BrandGate, Overloaded, refill, wait_for_token


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def limited(brand_id: str = "acme", **limits: object) -> BrandConfig:
    brand = default_brands()[brand_id]
    return brand.model_copy(update={"limits": brand.limits.model_copy(update=limits)})


def test_that_a_brand_over_its_concurrency_limit_is_refused_until_a_turn_finishes() -> None:
    gate, acme, globex = BrandGate(), limited(concurrent_turns=2), limited("globex", concurrent_turns=2)
    gate.take(acme)
    gate.take(acme)
    with pytest.raises(Overloaded) as refused:
        gate.take(acme)
    assert (refused.value.kind, refused.value.retry_after_s, refused.value.reason) == (
        "concurrency", 1, "brand 'acme' has 2 turns in flight, its limit; try again shortly",
    )  # fmt: skip
    gate.take(globex)  # another brand's slots are its own
    gate.release(acme)
    gate.take(acme)
    assert (gate.in_flight("acme"), gate.in_flight("globex")) == (2, 1)


def test_that_a_brand_over_its_rate_waits_for_the_bucket_and_a_refusal_takes_nothing() -> None:
    clock = Clock()
    gate, acme = BrandGate(clock=clock), limited(turns_per_second=0.5, burst=2, concurrent_turns=100)
    gate.take(acme)
    gate.take(acme)
    with pytest.raises(Overloaded) as refused:
        gate.take(acme)
    assert (refused.value.kind, refused.value.retry_after_s) == ("rate", 2)
    assert refused.value.reason == "brand 'acme' is over its limit of 0.5 turns a second"
    assert gate.in_flight("acme") == 2  # the refused turn holds no slot
    clock.now += 1.0
    with pytest.raises(Overloaded) as again:
        gate.take(acme)
    assert again.value.retry_after_s == 1  # half a token was refilled; the refusal spent none of it
    clock.now += 1.0
    gate.take(acme)
    assert gate.in_flight("acme") == 3


@given(
    tokens=st.floats(0, 100),
    elapsed=st.floats(-10, 1e6),
    rate=st.floats(0.001, 1e4),
    burst=st.integers(1, 1000),
)
def test_that_the_bucket_never_holds_more_than_its_burst_nor_loses_tokens(
    tokens: float, elapsed: float, rate: float, burst: int
) -> None:
    tokens = min(tokens, burst)
    after = refill(tokens, elapsed, rate, burst)
    assert tokens <= after <= burst
    if after < 1:
        assert wait_for_token(after, rate) >= 1
