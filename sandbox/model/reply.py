"""What the sandbox model decides to say: text or one tool call, before any wire formatting."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

FinishReason = Literal["stop", "tool_calls"]


@dataclass(frozen=True)
class PlannedCall:
    """A tool call without its id (the server numbers ids)."""

    name: str
    arguments: Mapping[str, Any]

    def key(self) -> str:
        """Return a canonical form: same name and arguments, same key."""
        return self.name + json.dumps(self.arguments, sort_keys=True, separators=(",", ":"))


@dataclass(frozen=True)
class Reply:
    """Assistant text, or tool calls (then `content` is None)."""

    content: str | None = None
    calls: Sequence[PlannedCall] = field(default_factory=tuple)

    @property
    def finish_reason(self) -> FinishReason:
        return "tool_calls" if self.calls else "stop"


def calls_made(messages: Sequence[Mapping[str, Any]]) -> set[str]:
    """Return the keys of every tool call the assistant already made in `messages`."""
    keys: set[str] = set()
    for message in messages:
        if message.get("role") != "assistant":
            continue
        for call in message.get("tool_calls") or []:
            function = call.get("function") or {}
            try:
                arguments = json.loads(function.get("arguments") or "{}")
            except json.JSONDecodeError:
                continue
            if isinstance(arguments, dict):
                keys.add(PlannedCall(str(function.get("name")), arguments).key())
    return keys
