"""The carrier-neutral shipment every sandbox carrier keeps, and the `/_admin/plant` body.

Each carrier server renders the same `Shipment` in its own wire format (UPS activities, FedEx scan
events, USPS tracking events, DHL events, EasyPost tracking details), so a test plants one shipment
and reads it back through any carrier. `description` is the carrier's free text: injection tests
plant hostile text there.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

Status = Literal["pre_transit", "in_transit", "out_for_delivery", "delivered", "exception", "returned"]


class Event(BaseModel):
    """One scan: when (with the local UTC offset), what, where."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    time: AwareDatetime
    status: Status
    description: str = Field(max_length=4000)
    city: str | None = None
    region: str | None = None
    """State or province code, e.g. `ME`."""
    postal_code: str | None = None
    country: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")

    def utc(self) -> datetime:
        return self.time.astimezone(UTC)


class Shipment(BaseModel):
    """What a carrier knows about one tracking number; `POST /_admin/plant` takes this body."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    tracking_number: str = Field(pattern=r"^[0-9A-Z]{8,40}$")
    events: tuple[Event, ...] = Field(min_length=1)
    """Any order; servers sort them as their API does."""
    estimated_delivery: date | None = None
    service: str = "Ground"
    carrier: str | None = None
    """The aggregator only: the carrier's name as EasyPost writes it (`RoyalMail`, `UPS`...)."""
    signed_by: str | None = None

    def newest_first(self) -> list[Event]:
        return sorted(self.events, key=lambda e: e.time, reverse=True)

    @property
    def latest(self) -> Event:
        return self.newest_first()[0]

    @property
    def status(self) -> Status:
        return self.latest.status

    @property
    def delivered_at(self) -> datetime | None:
        return self.latest.time if self.status == "delivered" else None
