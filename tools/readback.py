"""Reading a write back after its answer was lost, by the marker we wrote with it.

A write whose answer was lost (timeout, dropped connection, 5xx after sending, a crash and the
client's retry) may or may not have been applied. Sending it again can write twice, and saying "it
failed" can be false, so each write carries a marker only it can have (`marker`: the idempotency
key, in the refund's note or the cancellation's comment), and its tool reads the resource back and
looks for it: before writing (a replay of a turn whose write was applied) and after a lost answer,
a few times while the turn's deadline allows (the write may still be on its way).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from tools import deadline
from tools.errors import ToolError

log = logging.getLogger(__name__)

T = TypeVar("T")

WAITS_S = (0.0, 0.5, 1.0)
"""Pauses before each read-back after a lost answer."""


def marker(key: str) -> str:
    """The text a write carries so that reading back finds it: the idempotency key, bracketed."""
    return f"[ref {key}]"


def carries(text: object, key: str) -> bool:
    """Whether a field of the store's record carries this write's marker."""
    return isinstance(text, str) and marker(key) in text


async def written_or_read_back(
    write: Awaitable[dict[str, Any]],
    record: str,
    find: Callable[[], Awaitable[dict[str, Any] | None]],
    what: str,
) -> tuple[dict[str, Any], bool]:
    """Send `write`; the record it made (its answer's `record` field) and False, or, when its answer
    was lost (`write_unconfirmed`), the record `find` reads back and True. Not found within the turn:
    `write_unconfirmed` stands."""
    try:
        answer = await write
    except ToolError as lost:
        if lost.code != "write_unconfirmed":
            raise
        found = await read_back(find, what)
        if found is None:
            raise
        return found, True
    return answer.get(record) or {}, False


async def read_back(find: Callable[[], Awaitable[T | None]], what: str) -> T | None:
    """The applied write `find` reads back, or None when it is not seen within the turn's time."""
    for wait in WAITS_S:
        if wait:
            left = deadline.remaining()
            if left is not None and left < wait + deadline.MIN_STEP_S:
                break
            await asyncio.sleep(wait)
        try:
            found = await find()
        except ToolError as exc:  # the read failed too: try again while there is time
            log.warning("reading back %s failed: %s", what, exc.code)
            continue
        if found is not None:
            log.info("reconciled %s: the write was applied", what)
            return found
    log.warning("reconciling %s: the write is not seen in the store", what)
    return None
