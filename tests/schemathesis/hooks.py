"""Schemathesis hooks (loaded through `SCHEMATHESIS_HOOKS`, in schemathesis' own virtualenv).

`flatmap_body`: besides each generated body, the same body with one of its strings replaced by a
hostile one: a lone UTF-16 surrogate or a NUL (alone or inside text), or a huge string (over a
field's length, or over the 64 kB body cap). Sent as JSON escapes (`"\\ud800"`), as clients send them.

Checks (run with `-c four_xx_has_reason,four_xx_echoes_nothing`):
- `four_xx_has_reason`: every 4xx response is a JSON object whose `detail` says why: a non-blank
  string, or a non-empty list (FastAPI's 422 validation errors).
- `four_xx_echoes_nothing`: no 4xx carries back a string of the request's body or query of 16
  characters or more.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from typing import Any

import schemathesis
from hypothesis import strategies as st

HOSTILE = st.sampled_from(
    ["\ud800", "lone \udfff here", "\ud83d", "\x00", "nul \x00 here", "x" * 30_000, "y" * 70_000]
)
ECHO_MIN_CHARS = 16


def _string_paths(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(value, str):
        yield path
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _string_paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _string_paths(item, (*path, index))


def _with(body: Any, path: tuple[Any, ...], text: str) -> Any:
    changed = copy.deepcopy(body)
    *parents, last = path
    target = changed
    for step in parents:
        target = target[step]
    target[last] = text
    return changed


@schemathesis.hook
def flatmap_body(_context: Any, body: Any) -> st.SearchStrategy[Any]:
    """The body, or the body with one string made hostile."""
    paths = [path for path in _string_paths(body) if path]
    if not paths:
        return st.just(body)
    return st.one_of(
        st.just(body), st.builds(lambda p, s: _with(body, p, s), st.sampled_from(paths), HOSTILE)
    )


def _has_reason(detail: Any) -> bool:
    if isinstance(detail, str):
        return bool(detail.strip())
    return isinstance(detail, list | dict) and bool(detail)


@schemathesis.check
def four_xx_has_reason(ctx: Any, response: Any, case: Any) -> None:
    """A 4xx response carries a non-empty `detail`."""
    if not 400 <= response.status_code < 500:
        return None
    try:
        body = response.json()
    except ValueError:
        body = None
    if not isinstance(body, dict) or not _has_reason(body.get("detail")):
        raise AssertionError(
            f"{response.status_code} without a reason: a JSON object with a non-empty `detail` expected,"
            f" got {response.text[:200]!r}"
        )
    return None


def _sent_strings(case: Any) -> Iterator[str]:
    body = case.body if isinstance(case.body, dict | list | str) else None
    for path in _string_paths(body):
        value = body
        for step in path:
            value = value[step]
        yield value
    for value in (case.query or {}).values():
        if isinstance(value, str):
            yield value


@schemathesis.check
def four_xx_echoes_nothing(ctx: Any, response: Any, case: Any) -> None:
    """A 4xx response repeats no string of 16 characters or more from the request's body or query."""
    if not 400 <= response.status_code < 500:
        return None
    text = response.text
    for sent in _sent_strings(case):
        if len(sent) >= ECHO_MIN_CHARS and (sent in text or json.dumps(sent)[1:-1] in text):
            raise AssertionError(
                f"{response.status_code} echoes a {len(sent)}-character input: {response.text[:200]!r}"
            )
    return None
