"""What the shop of a brand without hand-written demo data starts with: one customer, two orders and
a subscription, derived from the shop's name alone, so a new brand file works offline with no code.

Every such shop holds the same records except the customer's email, whose domain is the shop's
(`sam@<shop>.example.com`); the numbers are part of the sandbox contract (sandbox/README.md):

| customer | record | state |
| --- | --- | --- |
| Sam Sample, `sam@<shop>.example.com` (id 7900000000001) | order `#9001` id 4900000009001 | paid, fulfilled, UPS `1Z999AA10290019002`, `in_transit`, total "70.00" USD |
| the same | order `#9002` id 4900000009002 | paid, `fulfillment_status` null, open, "25.00" USD |
| the same (Recharge customer 89000001) | subscription `sub_9001` | active, Refill Club, monthly, "12.50", next charge 2026-12-05 |

The UPS sandbox knows the tracking number (`sandbox.carriers.seed`); its check digit is valid.
"""

from __future__ import annotations

from sandbox.commerce.shapes import (
    Address,
    Customer,
    Item,
    OrderSpec,
    Plan,
    Shipment,
    ShopData,
    order_json,
    subscription_json,
)

GENERIC_UPS_TRACKING_NUMBER = "1Z999AA10290019002"

HOME = Address("1 Sample Street", "Springfield", "Illinois", "IL", "62701", "United States", "US")
STARTER_KIT = Item(
    4900000000011, 9900000000001, 9900000000101, "Starter Kit", "Standard", "KIT-STD", 1, "40.00"
)
REFILLS = Item(4900000000012, 9900000000002, 9900000000102, "Refill Pack", "3-pack", "REFILL-3", 2, "12.50")
REFILL_CLUB = Plan("Refill Club", "Monthly / 1 pack", "CLUB-REFILL", "12.50")


def generic_customer(shop: str) -> Customer:
    """The shop's one seed customer."""
    return Customer(7900000000001, f"sam@{shop}.example.com", "Sam", "Sample")


def generic_shop(shop: str, name_format: tuple[str, str] = ("#", "")) -> ShopData:
    """The records of `shop`, built anew; its orders named `name_format` (prefix, suffix)."""
    sam = generic_customer(shop)
    shipped = OrderSpec(
        id=4900000009001,
        number=9001,
        customer=sam,
        address=HOME,
        created_at="2026-11-16T10:00:00-06:00",
        currency="USD",
        items=(STARTER_KIT, REFILLS),
        shipping="5.00",
        name_format=name_format,
        shipment=Shipment(
            fulfillment_id=4910000009001,
            created_at="2026-11-17T15:00:00-06:00",
            tracking_company="UPS",
            tracking_number=GENERIC_UPS_TRACKING_NUMBER,
            tracking_url=f"https://www.ups.com/track?tracknum={GENERIC_UPS_TRACKING_NUMBER}",
            shipment_status="in_transit",
        ),
    )
    unfulfilled = OrderSpec(
        id=4900000009002,
        number=9002,
        customer=sam,
        address=HOME,
        created_at="2026-11-21T12:00:00-06:00",
        currency="USD",
        items=(REFILLS,),
        shipping="0.00",
        name_format=name_format,
    )
    subscription = subscription_json(
        "sub_9001", 89000001, 99000001, sam.email, REFILL_CLUB, "2026-12-05", "2026-08-05T12:00:00+00:00"
    )
    return ShopData(
        orders={spec.id: order_json(spec) for spec in (shipped, unfulfilled)},
        subscriptions={"sub_9001": subscription},
    )
