"""The one normalised tracking result every carrier module returns, and its sentence for the model.

Pure: no I/O. Carrier text (event descriptions, place names) is third-party data; it is collapsed
to one line and capped here, and the tool executor sanitises and marks the whole result as data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Literal

from tools.carriers.detect import carrier_name

TrackingStatus = Literal[
    "pre_transit", "in_transit", "out_for_delivery", "delivered", "exception", "returned", "unknown"
]
STATUS_TEXT: dict[TrackingStatus, str] = {
    "pre_transit": "label created, not yet handed to the carrier",
    "in_transit": "in transit",
    "out_for_delivery": "out for delivery",
    "delivered": "delivered",
    "exception": "delivery problem reported by the carrier",
    "returned": "being returned to the sender",
    "unknown": "no tracking events yet",
}
MAX_TEXT = 200


@dataclass(frozen=True)
class TrackingEvent:
    description: str
    """The carrier's own words for the scan (third-party text)."""
    time: datetime | None
    """Aware when the carrier gives an offset; otherwise the local wall-clock time of the scan."""
    place: str | None


@dataclass(frozen=True)
class TrackingResult:
    carrier: str
    """Carrier slug (`ups`, `royal_mail`...), the one that carries the parcel, whoever answered."""
    tracking_number: str
    status: TrackingStatus
    last_event: TrackingEvent | None
    estimated_delivery: date | None
    delivered_at: datetime | None

    @property
    def has_data(self) -> bool:
        return self.status != "unknown" or self.last_event is not None


def one_line(text: str | None, limit: int = MAX_TEXT) -> str:
    """Collapse whitespace and cap the length of a third-party string."""
    flat = " ".join((text or "").split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def _soften(text: str) -> str:
    """`AUSTIN TX DISTRIBUTION CENTER` -> `Austin TX Distribution Center`: carriers shout place names;
    words of one or two letters stay as codes (states, countries)."""
    if not text.isupper():
        return text
    return " ".join(w if len(w.strip(",.")) <= 2 else w.capitalize() for w in text.split(" "))


def place(*parts: str | None) -> str | None:
    """Join the non-empty parts of a place; the first (city, locality) loses its capitals."""
    cleaned = [one_line(p, 80) for p in parts if p and p.strip()]
    if cleaned:
        cleaned[0] = _soften(cleaned[0])
    return ", ".join(cleaned) or None


def with_offset(moment: datetime, offset: str | None) -> datetime:
    """Attach a `+HH:MM`/`-HH:MM` offset to a naive local time; keep it naive if there is none."""
    if not offset or moment.tzinfo is not None:
        return moment
    sign = -1 if offset.strip().startswith("-") else 1
    hours, _, minutes = offset.strip().lstrip("+-").partition(":")
    try:
        delta = timedelta(hours=int(hours), minutes=int(minutes or 0))
    except ValueError:
        return moment
    return moment.replace(tzinfo=timezone(sign * delta))


def parse_time(value: object) -> datetime | None:
    """An ISO 8601 date-time (`Z` allowed) or None if absent or unreadable."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None


def parse_date(value: object) -> date | None:
    """The date part of an ISO date or date-time, or of a `YYYYMMDD` string."""
    if isinstance(value, str) and len(value) == 8 and value.isdigit():
        value = f"{value[:4]}-{value[4:6]}-{value[6:]}"
    moment = parse_time(value)
    return moment.date() if moment else None


def latest(events: Sequence[TrackingEvent]) -> TrackingEvent | None:
    """The newest event; events without a time count as oldest."""
    timed = [e for e in events if e.time is not None]
    if not timed:
        return events[0] if events else None
    try:
        return max(timed, key=lambda e: e.time or datetime.min)
    except TypeError:  # a carrier mixing aware and naive times: trust its own order
        return events[0]


def when(moment: datetime) -> str:
    """`2026-11-12 06:40 (UTC-05:00)`, `(UTC)` for UTC, nothing for a local wall-clock time."""
    text = moment.strftime("%Y-%m-%d %H:%M")
    offset = moment.utcoffset()
    if offset is None:
        return f"{text} local time"
    if offset == timedelta(0) or moment.tzinfo is UTC:
        return f"{text} (UTC)"
    return f"{text} (UTC{moment.strftime('%z')[:3]}:{moment.strftime('%z')[3:]})"


def describe(result: TrackingResult) -> str:
    """One sentence the model can repeat: status, last event with place and time, delivery dates."""
    head = f"{carrier_name(result.carrier)} tracking {result.tracking_number}: {STATUS_TEXT[result.status]}."
    parts = [head]
    event = result.last_event
    if event is not None:
        where = f" at {event.place}" if event.place else ""
        at = f" on {when(event.time)}" if event.time else ""
        parts.append(f'Last event: "{one_line(event.description)}"{where}{at}.')
    if result.delivered_at is not None:
        parts.append(f"Delivered on {when(result.delivered_at)}.")
    elif result.estimated_delivery is not None:
        parts.append(f"Estimated delivery: {result.estimated_delivery.isoformat()}.")
    return " ".join(parts)
