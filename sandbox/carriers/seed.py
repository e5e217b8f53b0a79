"""Demo shipments of the sandbox carriers, rebuilt fresh for every app and on every reset.

They match the commerce store's fulfilments (`sandbox.commerce.seed`): UPS `1Z999AA10123456784`
(acme order #1001, in transit to Portland, ME), UPS `1Z999AA10104004100` (acme order #1004,
delivered in Portland, ME), USPS `9400111899223854165703` (acme order #1003,
delivered in Austin, TX), and, known to the aggregator only, Royal Mail `RB123456785GB` (globex
order #2001, in transit in London). UPS also knows `1Z999AA10290019002`, order #9001 of every shop
without hand-written data (`sandbox.commerce.generic`), in transit to Springfield, IL. FedEx and DHL
start empty: tests plant what they need.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone, tzinfo

from sandbox.carriers.shipments import Event, Shipment, Status
from sandbox.commerce.generic import GENERIC_UPS_TRACKING_NUMBER
from sandbox.commerce.seed import (
    ROYAL_MAIL_TRACKING_NUMBER,
    UPS_DELIVERED_TRACKING_NUMBER,
    UPS_TRACKING_NUMBER,
    USPS_TRACKING_NUMBER,
)

EST = timezone(timedelta(hours=-5))
EDT = timezone(timedelta(hours=-4))
CDT = timezone(timedelta(hours=-5))
CST = timezone(timedelta(hours=-6))


def _event(
    when: str, tz: tzinfo, status: Status, text: str, city: str | None, region: str | None, zip_: str | None,
    country: str = "US",
) -> Event:  # fmt: skip
    return Event(
        time=datetime.fromisoformat(when).replace(tzinfo=tz),
        status=status,
        description=text,
        city=city,
        region=region,
        postal_code=zip_,
        country=country,
    )


def ups_shipments() -> dict[str, Shipment]:
    events = (
        _event("2026-11-11T16:10:00", EST, "pre_transit",
               "Shipper created a label, UPS has not received the package yet.", None, None, None),
        _event("2026-11-11T18:45:00", EST, "in_transit", "Pickup Scan", "Secaucus", "NJ", "07094"),
        _event("2026-11-11T22:30:00", EST, "in_transit", "Departed from Facility", "Secaucus", "NJ", "07094"),
        _event("2026-11-12T01:55:00", EST, "in_transit", "Arrived at Facility", "Louisville", "KY", "40209"),
        _event("2026-11-12T04:10:00", EST, "in_transit", "Departed from Facility", "Louisville", "KY", "40209"),
        _event("2026-11-12T06:40:00", EST, "in_transit", "Arrived at Facility", "Scarborough", "ME", "04074"),
    )  # fmt: skip
    shipment = Shipment(
        tracking_number=UPS_TRACKING_NUMBER,
        events=events,
        estimated_delivery=date(2026, 11, 13),
        service="UPS Next Day Air",
    )
    generic, delivered = _generic_ups_shipment(), _delivered_ups_shipment()
    return {s.tracking_number: s for s in (shipment, generic, delivered)}


def _delivered_ups_shipment() -> Shipment:
    events = (
        _event("2026-11-25T15:30:00", EST, "pre_transit",
               "Shipper created a label, UPS has not received the package yet.", None, None, None),
        _event("2026-11-25T18:40:00", EST, "in_transit", "Pickup Scan", "Secaucus", "NJ", "07094"),
        _event("2026-11-27T08:05:00", EST, "out_for_delivery", "Out For Delivery Today", "Portland", "ME", "04101"),
        _event("2026-11-27T13:22:00", EST, "delivered", "Delivered, Front Door", "Portland", "ME", "04101"),
    )  # fmt: skip
    return Shipment(
        tracking_number=UPS_DELIVERED_TRACKING_NUMBER,
        events=events,
        estimated_delivery=date(2026, 11, 27),
        service="UPS Ground",
    )


def _generic_ups_shipment() -> Shipment:
    events = (
        _event("2026-11-17T15:10:00", CST, "pre_transit",
               "Shipper created a label, UPS has not received the package yet.", None, None, None),
        _event("2026-11-17T18:30:00", CST, "in_transit", "Pickup Scan", "Chicago", "IL", "60607"),
        _event("2026-11-18T05:20:00", CST, "in_transit", "Arrived at Facility", "Springfield", "IL", "62703"),
    )  # fmt: skip
    return Shipment(
        tracking_number=GENERIC_UPS_TRACKING_NUMBER,
        events=events,
        estimated_delivery=date(2026, 11, 19),
        service="UPS Ground",
    )


def usps_shipments() -> dict[str, Shipment]:
    events = (
        _event("2026-10-29T10:20:00", EDT, "pre_transit",
               "Shipping Label Created, USPS Awaiting Item", "SECAUCUS", "NJ", "07094"),
        _event("2026-10-29T19:05:00", EDT, "in_transit", "Accepted at USPS Origin Facility", "SECAUCUS", "NJ", "07094"),
        _event("2026-10-30T03:14:00", EDT, "in_transit", "Departed USPS Regional Facility",
               "NEWARK NJ DISTRIBUTION CENTER", None, None),
        _event("2026-10-30T22:40:00", CDT, "in_transit", "Arrived at USPS Regional Facility",
               "AUSTIN TX DISTRIBUTION CENTER", None, None),
        _event("2026-10-31T07:47:00", CDT, "in_transit", "Arrived at Post Office", "AUSTIN", "TX", "78701"),
        _event("2026-10-31T07:58:00", CDT, "out_for_delivery", "Out for Delivery", "AUSTIN", "TX", "78701"),
        _event("2026-10-31T13:12:00", CDT, "delivered", "Delivered, In/At Mailbox", "AUSTIN", "TX", "78701"),
    )  # fmt: skip
    shipment = Shipment(
        tracking_number=USPS_TRACKING_NUMBER,
        events=events,
        estimated_delivery=date(2026, 10, 31),
        service="USPS Ground Advantage",
    )
    return {shipment.tracking_number: shipment}


def aggregator_shipments() -> dict[str, Shipment]:
    events = (
        _event("2026-11-13T09:05:00", UTC, "pre_transit", "Sender despatching item", None, None, None, "GB"),
        _event("2026-11-13T17:42:00", UTC, "in_transit", "Item received", "SWINDON MAIL CENTRE", None, "SN5 7XX", "GB"),
        _event("2026-11-14T05:18:00", UTC, "in_transit", "Item in transit",
               "LONDON CENTRAL MAIL CENTRE", None, "WC1X 0DP", "GB"),
    )  # fmt: skip
    shipment = Shipment(
        tracking_number=ROYAL_MAIL_TRACKING_NUMBER,
        events=events,
        estimated_delivery=date(2026, 11, 15),
        service="Royal Mail Tracked 48",
        carrier="RoyalMail",
    )
    return {shipment.tracking_number: shipment}


def no_shipments() -> dict[str, Shipment]:
    return {}
