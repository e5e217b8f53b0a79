"""Tool-call instructions planted in message text: what the `gullible` mode obeys.

Pure functions. An instruction is a JSON object preceded, within `WINDOW` characters, by either
the name of an offered tool, or `call|use|invoke|run [the] [tool|function] NAME` (then any NAME,
offered or not: a compromised model may call tools it was never given). Texts that are JSON
themselves are also read through their string values, so an instruction hidden in a field of a
tool's JSON result counts.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from sandbox.model.reply import PlannedCall
from sandbox.model.text import STOP_WORDS, text_of

WINDOW = 80
_VERB_NAME = re.compile(
    r"\b(?:call|use|invoke|run)\s+(?:the\s+)?(?:(?:tool|function)\s+)?[`'\"]?([A-Za-z_][\w-]*)",
    re.IGNORECASE,
)
_NOT_NAMES = STOP_WORDS | {"tool", "function", "with"}


def _string_leaves(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _string_leaves(item)
    elif isinstance(value, list):
        for item in value:
            yield from _string_leaves(item)


def _readings(text: str) -> list[str]:
    try:
        parsed = json.loads(text)
    except json.JSONDecodeError:
        return [text]
    return [text, *_string_leaves(parsed)]


def _name_before(window: str, offered: Sequence[str]) -> str | None:
    best_at, best = -1, None
    for name in offered:
        for found in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", window):
            if found.start() > best_at:
                best_at, best = found.start(), name
    if best is not None:
        return best
    named = [m.group(1) for m in _VERB_NAME.finditer(window) if m.group(1).lower() not in _NOT_NAMES]
    return named[-1] if named else None


def _instruction_at(text: str, start: int, offered: Sequence[str]) -> tuple[PlannedCall | None, int]:
    try:
        arguments, end = json.JSONDecoder().raw_decode(text, start)
    except json.JSONDecodeError:
        return None, start + 1
    name = _name_before(text[max(0, start - WINDOW) : start], offered)
    if name is None or not isinstance(arguments, dict):
        return None, start + 1
    return PlannedCall(name, arguments), end


def instructions_in(text: str, offered: Sequence[str]) -> list[PlannedCall]:
    """Return the tool calls `text` instructs, in order of appearance."""
    found: list[PlannedCall] = []
    for reading in _readings(text):
        start = reading.find("{")
        while start != -1:
            call, resume = _instruction_at(reading, start, offered)
            if call is not None:
                found.append(call)
            start = reading.find("{", resume)
    return found


def first_new_instruction(
    messages: Sequence[Mapping[str, Any]], offered: Sequence[str], done: set[str]
) -> PlannedCall | None:
    """Return the newest instruction in a user or tool message that was not carried out yet."""
    for message in reversed(messages):
        if message.get("role") not in ("user", "tool"):
            continue
        for call in instructions_in(text_of(message), offered):
            if call.key() not in done:
                return call
    return None
