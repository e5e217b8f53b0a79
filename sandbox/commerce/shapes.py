"""JSON builders for the commerce store: Shopify Admin REST 2024-10 orders and fulfillments,
Recharge 2021-11 subscriptions, and `ShopData`, the records one shop holds.

Pure functions from small frozen specs to the wire shape (see the Shopify fixtures under
shared/data/api-shapes), so the seed data in `seed` and `generic` reads as values, not as JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

Json = dict[str, Any]


@dataclass
class ShopData:
    """One shop's records: orders by numeric id, subscriptions by id, cancellations in order,
    products by numeric id (with their variants and stock), and returns (exchanges) in order."""

    orders: dict[int, Json] = field(default_factory=dict)
    subscriptions: dict[str, Json] = field(default_factory=dict)
    cancellations: list[Json] = field(default_factory=list)
    products: dict[int, Json] = field(default_factory=dict)
    returns: list[Json] = field(default_factory=list)


@dataclass(frozen=True)
class Customer:
    id: int
    email: str
    first_name: str
    last_name: str

    def as_json(self) -> Json:
        return {
            "id": self.id,
            "email": self.email,
            "first_name": self.first_name,
            "last_name": self.last_name,
            "admin_graphql_api_id": f"gid://shopify/Customer/{self.id}",
        }


@dataclass(frozen=True)
class Address:
    address1: str
    city: str
    province: str | None
    province_code: str | None
    zip: str
    country: str
    country_code: str


@dataclass(frozen=True)
class Shipment:
    fulfillment_id: int
    created_at: str
    tracking_company: str
    tracking_number: str
    tracking_url: str
    shipment_status: str


@dataclass(frozen=True)
class Item:
    id: int
    product_id: int
    variant_id: int
    title: str
    variant_title: str
    sku: str
    quantity: int
    price: str


def _money(amount: Decimal) -> str:
    return f"{amount:.2f}"


def _address_json(customer: Customer, address: Address) -> Json:
    return {
        "first_name": customer.first_name,
        "last_name": customer.last_name,
        "name": f"{customer.first_name} {customer.last_name}",
        "address1": address.address1,
        "address2": "",
        "city": address.city,
        "province": address.province,
        "province_code": address.province_code,
        "zip": address.zip,
        "country": address.country,
        "country_code": address.country_code,
        "company": None,
        "phone": None,
    }


def _line_item_json(item: Item, fulfilled: bool) -> Json:
    return {
        "id": item.id,
        "admin_graphql_api_id": f"gid://shopify/LineItem/{item.id}",
        "product_id": item.product_id,
        "variant_id": item.variant_id,
        "title": item.title,
        "variant_title": item.variant_title,
        "name": f"{item.title} - {item.variant_title}",
        "sku": item.sku,
        "quantity": item.quantity,
        "price": item.price,
        "fulfillment_service": "manual",
        "fulfillment_status": "fulfilled" if fulfilled else None,
        "requires_shipping": True,
        "grams": 500,
        "properties": [],
    }


def _fulfillment_json(order_id: int, order_name: str, shipment: Shipment, items: list[Json]) -> Json:
    return {
        "id": shipment.fulfillment_id,
        "admin_graphql_api_id": f"gid://shopify/Fulfillment/{shipment.fulfillment_id}",
        "order_id": order_id,
        "name": f"{order_name}.1",
        "status": "success",
        "service": "manual",
        "created_at": shipment.created_at,
        "updated_at": shipment.created_at,
        "tracking_company": shipment.tracking_company,
        "tracking_number": shipment.tracking_number,
        "tracking_numbers": [shipment.tracking_number],
        "tracking_url": shipment.tracking_url,
        "tracking_urls": [shipment.tracking_url],
        "shipment_status": shipment.shipment_status,
        "line_items": items,
    }


@dataclass(frozen=True)
class OrderSpec:
    id: int
    number: int
    customer: Customer
    address: Address
    created_at: str
    currency: str
    items: tuple[Item, ...]
    shipping: str
    shipment: Shipment | None = None
    name_format: tuple[str, str] = ("#", "")
    """The shop's order names around the number: prefix, suffix ("#1001" by default)."""


def order_json(spec: OrderSpec) -> Json:
    prefix, suffix = spec.name_format
    name = f"{prefix}{spec.number}{suffix}"
    fulfilled = spec.shipment is not None
    items = [_line_item_json(item, fulfilled) for item in spec.items]
    subtotal = sum((Decimal(i.price) * i.quantity for i in spec.items), Decimal(0))
    shipping = Decimal(spec.shipping)
    fulfillments = [_fulfillment_json(spec.id, name, spec.shipment, items)] if spec.shipment else []
    # Shopify archives (closes) an order once it is paid and fulfilled: the default
    # `status=open` filter then hides it, so clients must ask for `status=any`.
    closed_at = spec.shipment.created_at if spec.shipment else None
    return {
        "id": spec.id,
        "admin_graphql_api_id": f"gid://shopify/Order/{spec.id}",
        "name": name,
        "order_number": spec.number,
        "number": spec.number - 1000,
        "email": spec.customer.email,
        "contact_email": spec.customer.email,
        "created_at": spec.created_at,
        "updated_at": closed_at or spec.created_at,
        "processed_at": spec.created_at,
        "closed_at": closed_at,
        "cancelled_at": None,
        "cancel_reason": None,
        "financial_status": "paid",
        "fulfillment_status": "fulfilled" if fulfilled else None,
        "currency": spec.currency,
        "presentment_currency": spec.currency,
        "subtotal_price": _money(subtotal),
        "total_line_items_price": _money(subtotal),
        "total_discounts": "0.00",
        "total_tax": "0.00",
        "taxes_included": False,
        "total_price": _money(subtotal + shipping),
        "tags": "",
        "note": None,
        "note_attributes": [],
        "customer": spec.customer.as_json(),
        "line_items": items,
        "shipping_lines": [{"code": "Standard", "title": "Standard", "price": spec.shipping}],
        "shipping_address": _address_json(spec.customer, spec.address),
        "billing_address": _address_json(spec.customer, spec.address),
        "fulfillments": fulfillments,
        "refunds": [],
    }


@dataclass(frozen=True)
class Plan:
    """What a subscription delivers, monthly: product, variant, SKU and price."""

    product_title: str
    variant_title: str
    sku: str
    price: str


def subscription_json(
    sub_id: str, customer_id: int, address_id: int, email: str, plan: Plan, next_charge: str, created_at: str
) -> Json:
    """An active monthly Recharge subscription."""
    return {
        "id": sub_id,
        "customer_id": customer_id,
        "email": email,
        "address_id": address_id,
        "status": "active",
        "product_title": plan.product_title,
        "variant_title": plan.variant_title,
        "sku": plan.sku,
        "price": plan.price,
        "quantity": 1,
        "order_interval_frequency": 1,
        "order_interval_unit": "month",
        "charge_interval_frequency": 1,
        "order_day_of_month": None,
        "next_charge_scheduled_at": next_charge,
        "created_at": created_at,
        "updated_at": created_at,
        "cancelled_at": None,
        "cancellation_reason": None,
        "cancellation_reason_comments": None,
    }


@dataclass(frozen=True)
class Variant:
    """One variant of a product: its id, option value, SKU, price and units in stock."""

    id: int
    title: str
    sku: str
    price: str
    stock: int


@dataclass(frozen=True)
class ProductSpec:
    id: int
    title: str
    option: str
    """The one option the variants differ by ("Color", "Size")."""
    variants: tuple[Variant, ...]
    created_at: str


def product_json(spec: ProductSpec) -> Json:
    """A product as Shopify Admin REST 2024-10 answers it, its variants' stock in `inventory_quantity`
    (`inventory_policy` `deny`: a variant with none in stock is not for sale)."""
    handle = spec.title.lower().replace(" ", "-")
    variants = [
        {
            "id": v.id,
            "admin_graphql_api_id": f"gid://shopify/ProductVariant/{v.id}",
            "product_id": spec.id,
            "title": v.title,
            "price": v.price,
            "compare_at_price": None,
            "sku": v.sku,
            "position": i,
            "option1": v.title,
            "option2": None,
            "option3": None,
            "inventory_policy": "deny",
            "inventory_management": "shopify",
            "inventory_quantity": v.stock,
            "fulfillment_service": "manual",
            "requires_shipping": True,
            "taxable": True,
            "barcode": None,
            "grams": 500,
            "created_at": spec.created_at,
            "updated_at": spec.created_at,
        }
        for i, v in enumerate(spec.variants, start=1)
    ]
    return {
        "id": spec.id,
        "admin_graphql_api_id": f"gid://shopify/Product/{spec.id}",
        "title": spec.title,
        "handle": handle,
        "body_html": "",
        "vendor": "Acme Coffee",
        "product_type": "",
        "status": "active",
        "tags": "",
        "published_scope": "global",
        "created_at": spec.created_at,
        "updated_at": spec.created_at,
        "published_at": spec.created_at,
        "options": [
            {
                "id": spec.id + 1,
                "product_id": spec.id,
                "name": spec.option,
                "position": 1,
                "values": [v.title for v in spec.variants],
            }
        ],
        "variants": variants,
        "images": [],
        "image": None,
    }
