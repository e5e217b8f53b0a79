"""Limits per brand: how fast a brand may start turns and how many it may have in flight, per process.

One brand's burst must not starve the others: a turn over its brand's limits is refused at once
(`Overloaded`, which the API answers 429 with `Retry-After` and the reason) instead of waiting in
the event loop ahead of other brands' turns. The brand's `limits` (`brands.TurnLimits`):

- rate: a token bucket per brand, refilled at `turns_per_second` up to `burst`; a turn takes one;
- concurrency: at most `concurrent_turns` turns in flight, those queued behind their
  conversation's lock included (a double text counts).

A refused turn takes nothing: no token, no slot. The limits hold per API process; with N workers
a brand may have N times them. The bucket's arithmetic is pure (`refill`, `wait_for_token`).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from brands import BrandConfig
from tools import metrics


class Overloaded(Exception):
    """A turn over its brand's limit; `retry_after_s` is when trying again can succeed."""

    def __init__(self, reason: str, retry_after_s: int, kind: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after_s = retry_after_s
        self.kind = kind
        """`rate` or `concurrency`."""


def refill(tokens: float, elapsed_s: float, rate: float, burst: int) -> float:
    """The bucket after `elapsed_s` seconds at `rate` tokens a second, never above `burst`."""
    return min(float(burst), tokens + max(elapsed_s, 0.0) * rate)


def wait_for_token(tokens: float, rate: float) -> int:
    """Whole seconds until the bucket holds one token again (at least 1: Retry-After is whole seconds)."""
    return max(1, math.ceil((1.0 - tokens) / rate))


@dataclass
class _Bucket:
    tokens: float
    stamp: float


@dataclass
class BrandGate:
    """This process's buckets and in-flight counts, one per brand."""

    clock: Callable[[], float] = time.monotonic
    _buckets: dict[str, _Bucket] = field(default_factory=dict)
    _in_flight: dict[str, int] = field(default_factory=dict)

    def take(self, brand: BrandConfig) -> None:
        """Admit one turn of `brand`, or raise `Overloaded` (taking nothing)."""
        limits, name = brand.limits, brand.brand_id
        busy = self._in_flight.get(name, 0)
        if busy >= limits.concurrent_turns:
            metrics.count_turn_refused(name, "concurrency")
            raise Overloaded(
                f"brand {name!r} has {busy} turns in flight, its limit; try again shortly", 1, "concurrency"
            )
        now = self.clock()
        bucket = self._buckets.get(name) or _Bucket(float(limits.burst), now)
        tokens = refill(bucket.tokens, now - bucket.stamp, limits.turns_per_second, limits.burst)
        if tokens < 1.0:
            self._buckets[name] = _Bucket(tokens, now)
            metrics.count_turn_refused(name, "rate")
            raise Overloaded(
                f"brand {name!r} is over its limit of {limits.turns_per_second:g} turns a second",
                wait_for_token(tokens, limits.turns_per_second),
                "rate",
            )
        self._buckets[name] = _Bucket(tokens - 1.0, now)
        self._in_flight[name] = busy + 1

    def release(self, brand: BrandConfig) -> None:
        """The turn `take` admitted has finished (answered, failed or cancelled)."""
        left = self._in_flight.get(brand.brand_id, 0) - 1
        if left > 0:
            self._in_flight[brand.brand_id] = left
        else:
            self._in_flight.pop(brand.brand_id, None)

    def in_flight(self, brand_id: str) -> int:
        return self._in_flight.get(brand_id, 0)
