"""One deadline per turn, across model retries, lookups and writes.

The service starts it when the turn holds its conversation's lock (`turn_deadline`, the brand's
`turn_deadline_s`); everything below reads it from this context variable, which asyncio copies into
every task the graph starts. Each wait is bounded by what is left (`bounded`): an HTTP request's
timeout, a model call, a read-back. `RESERVE_S` is kept back for what follows the last step
(composing the reply, storing the turn, answering), so the customer is answered within the budget.
With no deadline set (Studio, a unit test) nothing is bounded.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

RESERVE_S = 1.5
"""Kept back from every step for composing, storing and sending the answer."""
RECONCILE_S = 3.0
"""Kept back from a write for reading it back when its answer is lost (`tools.readback`)."""
MIN_STEP_S = 0.5
"""Less than this left: no new step starts (a model call, a lookup); what is unfinished is handed off."""

_deadline: ContextVar[float | None] = ContextVar("turn_deadline", default=None)


@contextmanager
def turn_deadline(seconds: float | None) -> Iterator[None]:
    """Run the block with a deadline `seconds` from now (None: none)."""
    token = _deadline.set(None if seconds is None else time.monotonic() + seconds)
    try:
        yield
    finally:
        _deadline.reset(token)


def remaining(keep: float = 0.0) -> float | None:
    """Seconds left for a step, after `RESERVE_S` and `keep` are kept back; None with no deadline."""
    deadline = _deadline.get()
    if deadline is None:
        return None
    return deadline - time.monotonic() - RESERVE_S - keep


def exhausted(keep: float = 0.0) -> bool:
    """Whether too little is left to start a step that keeps `keep` back."""
    left = remaining(keep)
    return left is not None and left < MIN_STEP_S


def bounded(timeout: float, keep: float = 0.0) -> float:
    """`timeout`, cut to what is left of the turn after `keep` (never below 0.1 s)."""
    left = remaining(keep)
    return timeout if left is None else max(min(timeout, left), 0.1)
