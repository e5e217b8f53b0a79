"""The sandbox commerce store's shops, rebuilt fresh for every app and on every reset.

`seed_shops(shops)` gives each shop the brand files name its records: the hand-written demo data
below for `acme` and `globex`, and for any other shop the generic data of `sandbox.commerce.generic`
(derived from the shop's name, so a new brand file needs no code).

The demo values are part of the test contract (ARCHITECTURE.md, "Demo brands and data"): shop `acme`
has alice@example.com with orders #1001 (shipped with UPS), #1002 (paid, unfulfilled) and #1004
(delivered by UPS: a Burr Grinder in Matte Black and a bag of House Blend), and subscription `sub_501`, plus carol@example.com with #1003 (delivered by USPS) and the cancelled
`sub_502`; shop `globex` has bob@example.com with #2001 (shipped with Royal Mail, a carrier with no
native integration). Tracking numbers carry valid check digits. Orders use the Shopify Admin REST
2024-10 order shape, subscriptions the Recharge 2021-11 shape.

acme's catalogue (`ACME_PRODUCTS`, Shopify's product shape with each variant's stock) has the Burr
Grinder in two colours at the same price, Matte Black and White, both in stock, and House Blend
Coffee as 1 kg whole bean (32.00), 1 kg ground (32.00, sold out) and 250 g whole bean (10.00): what an
exchange of #1004's items may swap to.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from sandbox.commerce.generic import generic_shop
from sandbox.commerce.shapes import (
    Address,
    Customer,
    Item,
    Json,
    OrderSpec,
    Plan,
    ProductSpec,
    Shipment,
    ShopData,
    Variant,
    order_json,
    product_json,
    subscription_json,
)

UPS_TRACKING_NUMBER = "1Z999AA10123456784"
ROYAL_MAIL_TRACKING_NUMBER = "RB123456785GB"
USPS_TRACKING_NUMBER = "9400111899223854165703"
UPS_DELIVERED_TRACKING_NUMBER = "1Z999AA10104004100"


ALICE = Customer(7100000000001, "alice@example.com", "Alice", "Example")
CAROL = Customer(7100000000003, "carol@example.com", "Carol", "Example")
BOB = Customer(7200000000002, "bob@example.com", "Bob", "Example")

ALICE_HOME = Address("12 Harbor Street", "Portland", "Maine", "ME", "04101", "United States", "US")
CAROL_HOME = Address("480 Pine Avenue", "Austin", "Texas", "TX", "78701", "United States", "US")
BOB_HOME = Address("221 Baker Street", "London", None, None, "NW1 6XE", "United Kingdom", "GB")


def _item(item_id: int, product_id: int, title: str, variant: str, sku: str, qty: int, price: str) -> Item:
    return Item(item_id, product_id, product_id + 100000000000, title, variant, sku, qty, price)


HOUSE_BLEND = _item(
    4300000000011, 8100000000001, "House Blend Coffee", "1 kg / Whole bean", "HB-1KG", 1, "32.00"
)
DRIPPER = _item(4300000000012, 8100000000002, "Pour-Over Dripper", "White", "POD-WHT", 1, "24.00")
GRINDER = _item(4300000000021, 8100000000003, "Burr Grinder", "Matte Black", "GRD-BLK", 1, "149.00")
DECAF = _item(4300000000031, 8100000000004, "Decaf Colombia", "500 g / Ground", "DC-500-G", 2, "16.00")
GRINDER_1004 = _item(4300000000041, 8100000000003, "Burr Grinder", "Matte Black", "GRD-BLK", 1, "149.00")
HOUSE_BLEND_1004 = _item(
    4300000000042, 8100000000001, "House Blend Coffee", "1 kg / Whole bean", "HB-1KG", 1, "32.00"
)
THERMOSTAT = _item(5300000000011, 9100000000001, "Smart Thermostat", "Wi-Fi / White", "THERMO-W", 1, "89.00")

ACME_ORDERS = (
    OrderSpec(
        id=4100000001001,
        number=1001,
        customer=ALICE,
        address=ALICE_HOME,
        created_at="2026-11-10T09:14:00-05:00",
        currency="USD",
        items=(HOUSE_BLEND, DRIPPER),
        shipping="5.00",
        shipment=Shipment(
            fulfillment_id=4110000001001,
            created_at="2026-11-11T16:02:00-05:00",
            tracking_company="UPS",
            tracking_number=UPS_TRACKING_NUMBER,
            tracking_url=f"https://www.ups.com/track?tracknum={UPS_TRACKING_NUMBER}",
            shipment_status="in_transit",
        ),
    ),
    OrderSpec(
        id=4100000001002,
        number=1002,
        customer=ALICE,
        address=ALICE_HOME,
        created_at="2026-11-20T18:40:00-05:00",
        currency="USD",
        items=(GRINDER,),
        shipping="0.00",
    ),
    OrderSpec(
        id=4100000001003,
        number=1003,
        customer=CAROL,
        address=CAROL_HOME,
        created_at="2026-10-28T11:25:00-05:00",
        currency="USD",
        items=(DECAF,),
        shipping="5.00",
        shipment=Shipment(
            fulfillment_id=4110000001003,
            created_at="2026-10-29T10:00:00-05:00",
            tracking_company="USPS",
            tracking_number=USPS_TRACKING_NUMBER,
            tracking_url=f"https://tools.usps.com/go/TrackConfirmAction?tLabels={USPS_TRACKING_NUMBER}",
            shipment_status="delivered",
        ),
    ),
    OrderSpec(
        id=4100000001004,
        number=1004,
        customer=ALICE,
        address=ALICE_HOME,
        created_at="2026-11-24T10:05:00-05:00",
        currency="USD",
        items=(GRINDER_1004, HOUSE_BLEND_1004),
        shipping="5.00",
        shipment=Shipment(
            fulfillment_id=4110000001004,
            created_at="2026-11-25T15:20:00-05:00",
            tracking_company="UPS",
            tracking_number=UPS_DELIVERED_TRACKING_NUMBER,
            tracking_url=f"https://www.ups.com/track?tracknum={UPS_DELIVERED_TRACKING_NUMBER}",
            shipment_status="delivered",
        ),
    ),
)

ACME_PRODUCTS = (
    ProductSpec(
        id=8100000000003,
        title="Burr Grinder",
        option="Color",
        variants=(
            Variant(8200000000003, "Matte Black", "GRD-BLK", "149.00", 12),
            Variant(8200000000013, "White", "GRD-WHT", "149.00", 5),
        ),
        created_at="2026-01-15T09:00:00-05:00",
    ),
    ProductSpec(
        id=8100000000001,
        title="House Blend Coffee",
        option="Size",
        variants=(
            Variant(8200000000001, "1 kg / Whole bean", "HB-1KG", "32.00", 40),
            Variant(8200000000011, "1 kg / Ground", "HB-1KG-G", "32.00", 0),
            Variant(8200000000021, "250 g / Whole bean", "HB-250", "10.00", 30),
        ),
        created_at="2026-01-15T09:00:00-05:00",
    ),
)

GLOBEX_ORDERS = (
    OrderSpec(
        id=4200000002001,
        number=2001,
        customer=BOB,
        address=BOB_HOME,
        created_at="2026-11-12T13:05:00+00:00",
        currency="GBP",
        items=(THERMOSTAT,),
        shipping="4.95",
        shipment=Shipment(
            fulfillment_id=4210000002001,
            created_at="2026-11-13T08:30:00+00:00",
            tracking_company="Royal Mail",
            tracking_number=ROYAL_MAIL_TRACKING_NUMBER,
            tracking_url=f"https://www.royalmail.com/track-your-item#/tracking-results/{ROYAL_MAIL_TRACKING_NUMBER}",
            shipment_status="in_transit",
        ),
    ),
)


COFFEE_CLUB = Plan("Coffee Club", "Monthly / 1 bag", "CLUB-MONTHLY", "29.00")


def _coffee_club(sub_id: str, customer_id: int, address_id: int, email: str) -> Json:
    return subscription_json(
        sub_id, customer_id, address_id, email, COFFEE_CLUB, "2026-12-01", "2026-06-01T09:30:00+00:00"
    )


def _acme_subscriptions() -> dict[str, Json]:
    alice = _coffee_club("sub_501", 81000001, 91000001, ALICE.email)
    carol = _coffee_club("sub_502", 81000003, 91000003, CAROL.email)
    carol.update(
        status="cancelled",
        next_charge_scheduled_at=None,
        updated_at="2026-09-14T17:45:00+00:00",
        cancelled_at="2026-09-14T17:45:00+00:00",
        cancellation_reason="Too much coffee",
        cancellation_reason_comments=None,
    )
    return {"sub_501": alice, "sub_502": carol}


def _acme() -> ShopData:
    return ShopData(
        orders={spec.id: order_json(spec) for spec in ACME_ORDERS},
        subscriptions=_acme_subscriptions(),
        products={spec.id: product_json(spec) for spec in ACME_PRODUCTS},
    )


def _globex() -> ShopData:
    return ShopData(orders={spec.id: order_json(spec) for spec in GLOBEX_ORDERS})


DEMO_SHOPS: dict[str, Callable[[], ShopData]] = {"acme": _acme, "globex": _globex}
"""The shops with hand-written demo data; every other shop gets `generic_shop`."""


def seed_shops(
    shops: Iterable[str], order_names: Mapping[str, tuple[str, str]] | None = None
) -> dict[str, ShopData]:
    """Build each shop's records anew; nothing is shared between calls. A generic shop names its
    orders as `order_names` says (prefix, suffix; "#9001" by default)."""
    names = order_names or {}
    return {
        shop: DEMO_SHOPS[shop]() if shop in DEMO_SHOPS else generic_shop(shop, names.get(shop, ("#", "")))
        for shop in shops
    }
