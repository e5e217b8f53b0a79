"""In-memory state of one sandbox carrier: shipments, accounts, tokens, mode, recorded requests.

Every handler runs on the server's single event loop and none awaits while it changes state, so no
lock is needed. `reset()` puts everything back to the seeded shipments and forgets tokens.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from sandbox.carriers.shipments import Shipment

Mode = Literal["normal", "slow", "flaky", "down", "server_error", "rate_limited", "not_found"]
Failure = Literal["unavailable", "server_error", "rate_limited", "not_found"]
Seed = Callable[[], dict[str, Shipment]]
Json = dict[str, Any]

TOKEN_LIFETIME_S = 3599


@dataclass
class ModeSettings:
    """How tracking requests are answered; `times` limits a failing mode to the next N requests."""

    mode: Mode = "normal"
    delay_ms: int = 1000
    fail_every: int = 2
    retry_after: int = 1
    times: int | None = None

    def as_json(self) -> Json:
        return {
            "mode": self.mode,
            "delay_ms": self.delay_ms,
            "fail_every": self.fail_every,
            "retry_after": self.retry_after,
            "times": self.times,
        }


_FAILURES: dict[Mode, Failure] = {
    "down": "unavailable",
    "server_error": "server_error",
    "rate_limited": "rate_limited",
    "not_found": "not_found",
}


@dataclass(frozen=True)
class Grant:
    account: str
    expires_at: float


@dataclass
class CarrierStore:
    """Everything one carrier app knows; handlers reach it as `request.app.state.store`.

    `accounts` maps an account name to its secret: an OAuth client id to its client secret, or an
    API-key account's name to its key.
    """

    accounts: Mapping[str, str]
    seed: Seed
    shipments: dict[str, Shipment] = field(default_factory=dict)
    mode: ModeSettings = field(default_factory=ModeSettings)
    requests: list[Json] = field(default_factory=list)
    tokens: dict[str, Grant] = field(default_factory=dict)
    calls_since_mode_change: int = 0

    def __post_init__(self) -> None:
        self.shipments = self.seed()

    def reset(self) -> None:
        self.shipments = self.seed()
        self.set_mode(ModeSettings())
        self.requests.clear()
        self.tokens.clear()

    def set_mode(self, settings: ModeSettings) -> None:
        self.mode = settings
        self.calls_since_mode_change = 0

    def failure(self) -> Failure | None:
        """Count one tracking request and say how the current mode fails it, if it does."""
        self.calls_since_mode_change += 1
        mode = self.mode
        if mode.times is not None and self.calls_since_mode_change > mode.times:
            return None
        if mode.mode == "flaky":
            return "unavailable" if self.calls_since_mode_change % mode.fail_every == 0 else None
        return _FAILURES.get(mode.mode)

    def delay_seconds(self) -> float:
        return self.mode.delay_ms / 1000 if self.mode.mode == "slow" else 0.0

    def account_for_secret(self, account: str, secret: str) -> str | None:
        """The account if `secret` is its secret (constant-time compare)."""
        expected = self.accounts.get(account)
        if expected is None or not secrets.compare_digest(expected.encode(), secret.encode()):
            return None
        return account

    def account_for_key(self, key: str) -> str | None:
        """The account whose API key is `key`."""
        for account, expected in self.accounts.items():
            if secrets.compare_digest(expected.encode(), key.encode()):
                return account
        return None

    def issue_token(self, account: str) -> str:
        token = secrets.token_urlsafe(32)
        self.tokens[token] = Grant(account, time.monotonic() + TOKEN_LIFETIME_S)
        return token

    def account_for_token(self, token: str) -> str | None:
        grant = self.tokens.get(token)
        if grant is None or grant.expires_at < time.monotonic():
            return None
        return grant.account

    def state(self) -> Json:
        return {
            "mode": self.mode.as_json(),
            "shipments": {n: s.model_dump(mode="json") for n, s in sorted(self.shipments.items())},
            "tokens": len(self.tokens),
        }
