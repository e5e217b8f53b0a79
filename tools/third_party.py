"""Third-party free text in a tool's result: what it is, and what a reply says in its place.

Order notes, names, address lines, product titles and carrier event texts are written by someone
else than us or the customer in this chat (a helpdesk, a store, a carrier, an attacker). The model
reads them as data; a reply never quotes them (`workflows.kit.reply_guard`): each comes with a
summary said instead. A tool lists the ones its text carries (`ToolResult.untrusted`); the executor
puts them on the result's artifact (`UNTRUSTED`), so the guard reads them from state, whatever the
model or the policy writes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Literal

from typing_extensions import TypedDict

from tools.injection import signals

UNTRUSTED = "untrusted"
"""The artifact key of a result's third-party texts."""
Kind = Literal["note", "name", "address", "title", "carrier_event"]
SUMMARY: Mapping[Kind, str] = {
    "note": "the order has a note",
    "name": "the name on the record",
    "address": "the address on the order",
    "title": "the item",
    "carrier_event": "the carrier has recorded an update",
}
"""What a reply says in place of a text of each kind."""
PHRASES: frozenset[Kind] = frozenset({"name", "address", "title"})
"""Kinds a reply names inside a sentence: the guard replaces the words, not the clause."""
TITLE_CHARS = 60
TITLE_WORDS = 5
"""A product title may be named, at most this long: never a run a reply could relay as an instruction."""


class Untrusted(TypedDict):
    kind: Kind
    text: str


def untrusted(kind: Kind, texts: Iterable[object]) -> list[Untrusted]:
    return [Untrusted(kind=kind, text=t) for t in texts if isinstance(t, str) and t.strip()]


def of_order(order: Mapping[str, Any]) -> list[Untrusted]:
    """An order's free text: its note, names, address lines and line item titles."""
    address = order.get("shipping_address") or {}
    customer = order.get("customer") or {}
    names = [address.get("name"), address.get("first_name"), address.get("last_name")]
    names += [customer.get("first_name"), customer.get("last_name")]
    lines = [address.get(k) for k in ("address1", "address2", "city", "company")]
    titles = [i.get(k) for i in order.get("line_items") or [] for k in ("title", "name", "variant_title")]
    return [
        *untrusted("note", [order.get("note")]),
        *untrusted("name", names),
        *untrusted("address", lines),
        *untrusted("title", titles),
    ]


def title(text: object) -> str:
    """A product title as a reply may name it: at most `TITLE_WORDS` words and `TITLE_CHARS`
    characters, and "the item" when it reads as an instruction."""
    raw = " ".join(str(text or "").split())
    if not raw or signals(raw):
        return SUMMARY["title"]
    short = " ".join(raw.split()[:TITLE_WORDS])[:TITLE_CHARS].rstrip()
    return short if short == raw else f"{short}..."
