"""A brand's conversations by owner, a page at a time: those awaiting a person (`list_handoffs`), and
all of them or those of one status (`list_conversations`).

Both read the stored owners (`checkpoint/owners.py`), oldest first: by when a person started to be
awaited, or by when the conversation got its status; ties by conversation. A page ends with an
opaque cursor for the next (`encode_cursor`: the last row's time and conversation, and which list
it belongs to); a cursor this service did not make, or made for the other list, is `BadCursor`.

Conversations written before owners were stored have no row: `adopt_owners` stores the owner their
history gives them (`service.ownership.load_owner`), once, at start, so the lists see them too.
"""

from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime
from typing import Literal

from brands import BrandConfig
from brands.context import thread_id
from checkpoint.owners import OwnerRow
from service.core import Service
from service.history import write_out
from service.ownership import load_owner
from service.results import (
    ConversationPage,
    ConversationSummaryOut,
    HandoffPage,
    LastMessageOut,
    WaitingHandoffOut,
)
from state.ownership import STATUSES, Status

Listing = Literal["handoffs", "conversations"]


class BadCursor(ValueError):
    """A cursor this service did not give for this list."""


def encode_cursor(listing: Listing, at: str, conversation_id: str) -> str:
    raw = json.dumps([listing, at, conversation_id], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(listing: Listing, cursor: str) -> tuple[str, str]:
    """The (time, conversation id) after which the next page starts."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        kind, at, conversation_id = json.loads(raw)
        datetime.fromisoformat(at)
    except (binascii.Error, UnicodeDecodeError, ValueError, TypeError) as exc:
        raise BadCursor("cursor is not one this API returned") from exc
    if kind != listing or not isinstance(conversation_id, str):
        raise BadCursor(f"cursor was not returned by this list ({listing})")
    return at, conversation_id


def _after(brand: BrandConfig, listing: Listing, cursor: str | None) -> tuple[str, str] | None:
    if cursor is None:
        return None
    at, conversation_id = decode_cursor(listing, cursor)
    return at, thread_id(brand.brand_id, conversation_id)


async def list_handoffs(svc: Service, brand: BrandConfig, limit: int, cursor: str | None) -> HandoffPage:
    """The brand's conversations awaiting a person, the longest waiting first."""
    store = svc.persistence.store
    after = _after(brand, "handoffs", cursor)
    rows = await store.owners.list(brand.brand_id, ("awaiting_human",), after, limit + 1, by_handoff=True)
    page = rows[:limit]
    threads = [r.thread_id for r in page]
    last = await store.last_customer_messages(threads)
    writes = await store.history.writes(threads)
    handoffs = [
        WaitingHandoffOut(
            conversation_id=r.conversation_id,
            since=r.handoff_since or r.since,
            reason=r.handoff_reason,
            unresolved=list(r.unresolved),
            last_customer_message=(
                LastMessageOut(text=last[r.thread_id].text, time=last[r.thread_id].time)
                if r.thread_id in last
                else None
            ),
            writes=[write_out(w) for w in writes.get(r.thread_id, [])],
        )
        for r in page
    ]
    more = len(rows) > limit
    tail = page[-1] if page else None
    next_cursor = (
        encode_cursor("handoffs", tail.handoff_since or tail.since, tail.conversation_id)
        if more and tail
        else None
    )
    return HandoffPage(handoffs=handoffs, next_cursor=next_cursor)


async def list_conversations(
    svc: Service, brand: BrandConfig, status: Status | None, limit: int, cursor: str | None
) -> ConversationPage:
    """The brand's conversations (of `status`, or all), by when they got their status."""
    after = _after(brand, "conversations", cursor)
    statuses = (status,) if status else STATUSES
    rows = await svc.persistence.store.owners.list(
        brand.brand_id, statuses, after, limit + 1, by_handoff=False
    )
    page = rows[:limit]
    conversations = [_summary(r) for r in page]
    more = len(rows) > limit
    next_cursor = encode_cursor("conversations", page[-1].since, page[-1].conversation_id) if more else None
    return ConversationPage(conversations=conversations, next_cursor=next_cursor)


def _summary(row: OwnerRow) -> ConversationSummaryOut:
    return ConversationSummaryOut(
        conversation_id=row.conversation_id,
        status=row.status,  # type: ignore[arg-type]  # stored from `state.ownership.Status`
        since=row.since,
        updated_at=row.updated_at,
    )


async def adopt_owners(svc: Service) -> int:
    """Store the owner of every conversation written before owners were stored, as its history
    gives it; an owner stored meanwhile (a turn on another process) is kept. Returns how many."""
    owners = svc.persistence.store.owners
    adopted = 0
    for thread, brand_id in await owners.unowned():
        conversation_id = thread.removeprefix(f"{brand_id}:")
        row = await load_owner(svc, brand_id, conversation_id, thread, svc.clock())
        adopted += await owners.add(row)
    return adopted
