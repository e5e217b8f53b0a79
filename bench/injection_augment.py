"""Benign training texts made from our own templates: delivery and gift notes, carrier events.

The hand-written notes (`bench/data/benign_notes.txt`) are what the detector is measured on; they
are too few to teach a model what a note or a parcel's event sounds like, so training adds these.
They are never measured on (they are not in `bench.injection_corpus`), and every word of them is
this project's: no third-party text. `notes(n)` and `events(n)` draw `n` distinct texts from a fixed
seed.
"""

from __future__ import annotations

import random

SEED = 20261207

_NAMES = (
    "Tom",
    "Sam",
    "Priya",
    "Grandma",
    "Dad",
    "Mum",
    "Lily",
    "Omar",
    "Jess",
    "Ravi",
    "Ana",
    "Ben",
    "Chloe",
)
_NUMBERS = ("4", "12", "14", "16", "22", "3B", "7A", "101", "58")
_OBJECTS = (
    "green bin", "recycling bin", "side gate", "plant pot", "bench", "front door", "back door", "garage door",
    "porch step", "shed", "mailbox", "letterbox", "wheelie bin", "hedge", "doormat", "log store", "water butt",
)  # fmt: skip
_PLACES = (
    "porch", "garage", "shed", "reception", "front desk", "post room", "parcel locker", "back garden",
    "office", "lobby", "mail room", "shop next door", "pharmacy", "corner shop", "security desk", "loading bay",
)  # fmt: skip
_PEOPLE = (
    "concierge", "porter", "receptionist", "caretaker", "neighbour", "neighbours", "landlady", "my son",
    "my daughter", "my husband", "my wife", "my flatmate", "the shop owner", "security",
)  # fmt: skip
_WHEN = (
    "", " if I'm out", " if nobody answers", " after 5pm", " on weekdays", " before noon", " if it rains",
    " when I'm at work", " on Saturday", " any time after 9", " if the gate is locked", " tomorrow",
)  # fmt: skip
_OCCASIONS = (
    "Happy Birthday {name}", "Merry Christmas {name}", "Congratulations, {name}!", "Happy anniversary, love {name}",
    "Get well soon {name}", "Thank you {name}", "Welcome home {name}", "Good luck in the new job, {name}",
    "Happy retirement {name}", "Happy Mother's Day, love {name}", "Enjoy the coffee, {name}!",
)  # fmt: skip
_HANDLING = (
    "Do not bend", "Fragile, handle with care", "Keep upright", "Do not stack", "Keep dry", "This way up",
    "Do not drop", "Keep away from heat", "Glass inside", "Handle gently", "Do not leave in the sun",
)  # fmt: skip
_NOTE_TEMPLATES = (
    "Leave it {where}{when}.", "Please leave the parcel {where}{when}.", "Drop it {where}{when}.",
    "Put the box {where}{when}.", "Deliver it {where}{when}.", "Pop it {where}{when}.",
    "Please call before delivery{when}.", "Please ring {who} on arrival.", "Text me when you are {n} minutes away.",
    "Write \"{msg}\" on the card.", "Gift message: {msg}", "Card: {msg}", "Please add a note saying \"{msg}\".",
    "Gift wrap it and write {msg}.", "{handling}.", "{handling}, please.", "Please: {handling}!",
    "Leave it with the {person}{when}.", "Give it to {who}{when}.", "Do not leave it {where}.",
    "Ring flat {n} and wait.", "Gate code {n}{n}, close it behind you.", "Knock at the {object}, the bell is broken.",
    "Please don't ring{when}, the baby sleeps.", "Hold the order until the {n}th.", "Ship it all together please.",
)  # fmt: skip

_FACILITIES = (
    "Portland, ME", "Scarborough Distribution Center", "USPS Regional Facility", "Austin, TX", "Louisville Hub",
    "Memphis, TN", "London Mail Centre", "Leipzig Hub", "Post Office", "Regional Sort Facility", "Chicago, IL",
)  # fmt: skip
_EVENT_TEMPLATES = (
    "Arrived at {facility}", "Departed {facility}", "Arrived at Facility", "Departed from Facility",
    "Out for Delivery", "Out for delivery today", "Delivered", "Delivered, {spot}", "Delivered, Front Door/Porch",
    "Delivery attempted: {reason}", "Delivery exception: {reason}", "Held at {facility}: {reason}",
    "In transit to next facility", "Processing at {facility}", "Shipment information received",
    "Label created, awaiting item", "Picked up by the carrier", "Customs clearance in progress",
    "Released by customs", "Your package is on its way to {facility}", "The delivery date has been updated",
    "Delivered to the front desk, signed by {who}", "Left with a neighbour", "Available for pickup at {facility}",
    "Return to sender: {reason}", "Weather delay: {reason}", "On vehicle for delivery", "Your item was delivered {spot}",
    "Tendered to the postal service", "Package received at the carrier's hub in {facility}",
)  # fmt: skip
_SPOTS = (
    "in/at mailbox",
    "front door",
    "parcel locker",
    "left with individual",
    "at reception",
    "back porch",
)
_REASONS = (
    "customer not available", "business closed", "incorrect address", "no safe place", "address needs correcting",
    "severe weather", "recipient refused", "access code needed", "damaged label", "customs documents required",
)  # fmt: skip


def _fill(template: str, rng: random.Random) -> str:
    return template.format(
        where=rng.choice(
            [
                f"with the neighbour at number {rng.choice(_NUMBERS)}",
                f"behind the {rng.choice(_OBJECTS)}",
                f"in the {rng.choice(_PLACES)}",
                f"at the {rng.choice(_PLACES)}",
                f"next to the {rng.choice(_OBJECTS)}",
                f"under the {rng.choice(_OBJECTS)}",
                f"by the {rng.choice(_OBJECTS)}",
            ]
        ),
        when=rng.choice(_WHEN),
        who=rng.choice(_PEOPLE),
        person=rng.choice(_PEOPLE).removeprefix("the "),
        n=rng.choice(_NUMBERS),
        msg=rng.choice(_OCCASIONS).format(name=rng.choice(_NAMES)),
        handling=rng.choice(_HANDLING),
        object=rng.choice(_OBJECTS),
        facility=rng.choice(_FACILITIES),
        spot=rng.choice(_SPOTS),
        reason=rng.choice(_REASONS),
    )


def _draw(templates: tuple[str, ...], n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    found: dict[str, None] = {}
    for _ in range(n * 20):
        if len(found) >= n:
            break
        found[_fill(rng.choice(templates), rng)] = None
    return list(found)


def notes(n: int) -> list[str]:
    return _draw(_NOTE_TEMPLATES, n, SEED)


def events(n: int) -> list[str]:
    return _draw(_EVENT_TEMPLATES, n, SEED + 1)
