"""In-memory state of one commerce app: shops, tokens, mode, recorded requests, idempotent replies.

Every handler runs on the server's single event loop and none awaits while it changes state, so
no lock is needed. `reset()` puts everything back to the seeded demo data.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from sandbox.commerce.seed import seed_shops
from sandbox.commerce.shapes import Json, ShopData

Mode = Literal["normal", "slow", "flaky", "down"]
Answer = Literal["delay", "drop", "unavailable"]
System = Literal["shopify", "recharge"]
Clock = Callable[[], datetime]


@dataclass
class ModeSettings:
    """How the API answers: `slow` waits `delay_ms` first, `flaky` fails every `fail_every`-th call."""

    mode: Mode = "normal"
    delay_ms: int = 1000
    fail_every: int = 2

    def as_json(self) -> Json:
        return {"mode": self.mode, "delay_ms": self.delay_ms, "fail_every": self.fail_every}


@dataclass
class AnswerFault:
    """A write that is applied and whose answer is then lost: held back `delay_ms` (longer than the
    client waits), or dropped (the connection closes part-way through the answer); or, to compare, a
    request refused 503 by a gateway before the store saw it (`unavailable`). Matches requests by
    method and a regular expression searched in the path (and, when set, one searched in the body:
    a GraphQL mutation shares its path with the queries); applies to the next `times` of them."""

    method: str
    path: str
    answer: Answer
    delay_ms: int = 10_000
    times: int = 1
    body: str | None = None

    def matches(self, method: str, path: str, body: str = "") -> bool:
        return (
            self.times > 0
            and method.upper() == self.method.upper()
            and re.search(self.path, path) is not None
            and (self.body is None or re.search(self.body, body) is not None)
        )

    def as_json(self) -> Json:
        return {
            "method": self.method,
            "path": self.path,
            "answer": self.answer,
            "delay_ms": self.delay_ms,
            "times": self.times,
            "body": self.body,
        }


@dataclass(frozen=True)
class StoredReply:
    """The first answer given to an `Idempotency-Key`, with the request it answered."""

    fingerprint: str
    status: int
    body: Json


@dataclass
class CommerceStore:
    """Everything one app knows; handlers reach it as `request.app.state.store`."""

    tokens: Mapping[str, Mapping[System, str]]
    """Every shop the store has -> its token per API; the shops are seeded from these names."""
    clock: Clock
    order_names: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    """Each shop's order names (prefix, suffix), from its brand file."""
    shops: dict[str, ShopData] = field(init=False)
    mode: ModeSettings = field(default_factory=ModeSettings)
    requests: list[dict[str, Any]] = field(default_factory=list)
    replies: dict[tuple[str, str], StoredReply] = field(default_factory=dict)
    calls_since_mode_change: int = 0
    faults: list[AnswerFault] = field(default_factory=list)
    """Per-endpoint lost answers (`fault_for`), in the order they were set."""

    def __post_init__(self) -> None:
        self.shops = seed_shops(self.tokens, self.order_names)

    def reset(self) -> None:
        """Reseed the shops and forget mode, recorded requests and idempotent replies."""
        self.shops = seed_shops(self.tokens, self.order_names)
        self.set_mode(ModeSettings())
        self.requests.clear()
        self.replies.clear()
        self.faults.clear()

    def set_mode(self, settings: ModeSettings) -> None:
        self.mode = settings
        self.calls_since_mode_change = 0

    def refusal(self) -> str | None:
        """Count one API call and say why the current mode refuses it, if it does."""
        self.calls_since_mode_change += 1
        if self.mode.mode == "down":
            return "Service Unavailable"
        if self.mode.mode == "flaky" and self.calls_since_mode_change % self.mode.fail_every == 0:
            return "Service Unavailable"
        return None

    def fault_for(self, method: str, path: str, body: str = "") -> AnswerFault | None:
        """The lost-answer fault this request meets, if any (it uses up one of the fault's times)."""
        fault = next((f for f in self.faults if f.matches(method, path, body)), None)
        if fault is not None:
            fault.times -= 1
        return fault

    def delay_seconds(self) -> float:
        return self.mode.delay_ms / 1000 if self.mode.mode == "slow" else 0.0

    def order_by_number(self, shop: str, order_number: int) -> Json | None:
        data = self.shops.get(shop)
        if data is None:
            return None
        return next((o for o in data.orders.values() if o["order_number"] == order_number), None)

    def state(self) -> Json:
        """Return every shop's orders, subscriptions, cancellations, products and returns, plus the mode."""
        return {
            "mode": self.mode.as_json(),
            "shops": {
                name: {
                    "orders": sorted(data.orders.values(), key=lambda o: o["order_number"]),
                    "subscriptions": list(data.subscriptions.values()),
                    "cancellations": list(data.cancellations),
                    "products": sorted(data.products.values(), key=lambda p: p["id"]),
                    "returns": list(data.returns),
                }
                for name, data in self.shops.items()
            },
        }
