"""Shopify Admin REST API, version 2024-10: products and their variants, with stock.

`GET .../products.json` (optional `ids`, comma-separated) and `GET .../products/{id}.json` answer
Shopify's product shape; each variant's `inventory_quantity` is its stock and, with
`inventory_policy` `deny`, a variant with none is not for sale. An exchange (`shopify_graphql`)
takes its new items from this stock.
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException

from sandbox.commerce.access import NOT_FOUND
from sandbox.commerce.shapes import Json, ShopData
from sandbox.commerce.shopify import PREFIX, Shop

router = APIRouter(prefix=PREFIX)


def product_in(data: ShopData, product_id: str) -> Json:
    product = data.products.get(int(product_id)) if product_id.isdigit() else None
    if product is None:
        raise HTTPException(status_code=404, detail=NOT_FOUND)
    return product


def variant_in(data: ShopData, variant_id: int) -> tuple[Json, Json] | None:
    """The product and the variant with that id, if the shop sells it."""
    for product in data.products.values():
        for variant in product["variants"]:
            if variant["id"] == variant_id:
                return product, variant
    return None


def available(variant: Json, quantity: int = 1) -> bool:
    return variant["inventory_policy"] == "continue" or variant["inventory_quantity"] >= quantity


@router.get("/products.json")
async def list_products(data: Shop, ids: str | None = None) -> dict[str, list[Json]]:
    wanted = {int(i) for i in ids.split(",") if i.strip().isdigit()} if ids else None
    products = [p for p in data.products.values() if wanted is None or p["id"] in wanted]
    return {"products": sorted(products, key=lambda p: p["id"])}


@router.get("/products/{product_id}.json")
async def get_product(data: Shop, product_id: str) -> dict[str, Json]:
    return {"product": product_in(data, product_id)}
