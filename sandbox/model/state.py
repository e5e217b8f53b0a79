"""The sandbox model's mutable state: its mode and the chat requests it received.

One `ModelState` per app, so every `create_app()` starts clean. Invariant: the Authorization
header is never stored; a recorded request holds only what its JSON body said.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field
from typing import Any, Literal

Mode = Literal["normal", "slow", "flaky", "down", "eager", "gullible"]
DEFAULT_DELAY_MS = 300
DEFAULT_FAIL_EVERY = 2


@dataclass
class ModelState:
    """Mode settings, the request log and the counters that number ids."""

    mode: Mode = "normal"
    delay_ms: int = DEFAULT_DELAY_MS
    fail_every: int = DEFAULT_FAIL_EVERY
    requests: list[dict[str, Any]] = field(default_factory=list)
    chats_in_mode: int = 0
    _call_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _completion_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def set_mode(self, mode: Mode, delay_ms: int, fail_every: int) -> None:
        """Switch mode; the flaky count restarts."""
        self.mode, self.delay_ms, self.fail_every = mode, delay_ms, fail_every
        self.chats_in_mode = 0

    def record(self, path: str, body: object) -> None:
        """Append a received chat request (its body as received) to the log."""
        entry = {"index": len(self.requests), "time": time.time(), "path": path, "body": body}
        self.requests.append(entry)

    def next_call_id(self) -> str:
        """Return a tool-call id unique within this server: call_1, call_2, ..."""
        return f"call_{next(self._call_ids)}"

    def next_completion_id(self) -> str:
        """Return a completion id unique within this server: chatcmpl-1, chatcmpl-2, ..."""
        return f"chatcmpl-{next(self._completion_ids)}"

    def reset(self) -> None:
        """Return to normal mode with an empty log (ids keep counting: they stay unique)."""
        self.set_mode("normal", DEFAULT_DELAY_MS, DEFAULT_FAIL_EVERY)
        self.requests.clear()

    def snapshot(self) -> dict[str, Any]:
        """Return the `/_admin/state` view."""
        return {
            "mode": self.mode,
            "delay_ms": self.delay_ms,
            "fail_every": self.fail_every,
            "requests": len(self.requests),
        }
