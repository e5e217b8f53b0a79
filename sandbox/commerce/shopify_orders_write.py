"""Shopify Admin REST API, version 2024-10, write side: change an order's shipping address.

`PUT /shops/{shop}/admin/api/2024-10/orders/{order_id}.json` with body
`{"order": {"id": <id>, "shipping_address": {...}}}` merges the given address fields (`first_name`,
`last_name`, `name`, `address1`, `address2`, `city`, `province`, `province_code`, `zip`, `country`,
`country_code`, `company`, `phone`) into the order's `shipping_address` and answers `{"order": {...}}`.

Answers as Shopify does: a body without an `order` object is 400 `{"errors": {"order": "Required
parameter missing or invalid"}}`; another shop's or an unknown order is 404; an `id` in the body that
is not the URL's order is 400; a blank `address1`, `city` or `zip` (or `country_code`), an unknown
field type or a US ZIP that is not 5 or 9 digits is 422 `{"errors": {"shipping_address.<field>":
[...]}}`. The store does not judge fulfilment (Shopify lets a merchant edit the address of a shipped
order): whether a change is allowed is the support workflow's policy, in its code. `Idempotency-Key`
is honoured as on the other writes (see `idempotency`); the write shows in `/_admin/state`.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse

from sandbox.commerce import idempotency
from sandbox.commerce.recharge import now_text
from sandbox.commerce.shopify import PREFIX, Shop, order_in

router = APIRouter(prefix=PREFIX)

ADDRESS_FIELDS = (
    "first_name", "last_name", "name", "address1", "address2", "city", "province", "province_code",
    "zip", "country", "country_code", "company", "phone",
)  # fmt: skip
REQUIRED = ("address1", "city", "zip", "country_code")
COUNTRIES = {"US": "United States", "CA": "Canada", "GB": "United Kingdom", "DE": "Germany", "FR": "France"}
US_STATES = {
    "ME": "Maine",
    "TX": "Texas",
    "IL": "Illinois",
    "CA": "California",
    "NY": "New York",
    "OR": "Oregon",
}
US_ZIP = re.compile(r"\d{5}(?:-\d{4})?")


def _order_body(body: dict[str, Any]) -> dict[str, Any]:
    order = body.get("order")
    if not isinstance(order, dict):
        raise HTTPException(status_code=400, detail={"order": "Required parameter missing or invalid"})
    return order


def merged_address(current: dict[str, Any], given: Any) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The order's shipping address with `given` merged in, and Shopify-style field errors."""
    if not isinstance(given, dict):
        return current, {"shipping_address": ["must be an object"]}
    errors: dict[str, list[str]] = {}
    address = dict(current)
    for field, value in given.items():
        if field not in ADDRESS_FIELDS:
            continue  # Shopify ignores attributes it does not know
        if value is not None and not isinstance(value, str):
            errors[f"shipping_address.{field}"] = ["must be a string"]
            continue
        address[field] = value.strip() if isinstance(value, str) else None
    for field in REQUIRED:
        if not address.get(field):
            errors.setdefault(f"shipping_address.{field}", []).append("can't be blank")
    code = str(address.get("country_code") or "").upper()
    if code and code not in COUNTRIES:
        errors.setdefault("shipping_address.country", []).append("is invalid")
    if code == "US" and address.get("zip") and not US_ZIP.fullmatch(str(address["zip"])):
        errors.setdefault("shipping_address.zip", []).append("is invalid for United States")
    if not errors:
        address["country_code"] = code
        address["country"] = COUNTRIES[code]
        province = str(address.get("province_code") or "").upper() or None
        address["province_code"] = province
        if "province_code" in given and code == "US":
            address["province"] = US_STATES.get(province or "", province)
        if "name" not in given and ("first_name" in given or "last_name" in given):
            address["name"] = f"{address.get('first_name') or ''} {address.get('last_name') or ''}".strip()
    return address, errors


@router.put("/orders/{order_id}.json")
async def update_order(request: Request, data: Shop, shop: str, order_id: str) -> JSONResponse:
    write, earlier = await idempotency.begin(request, shop)
    if earlier is not None:
        return earlier
    order = order_in(data, order_id)
    changes = _order_body(write.body)
    if "id" in changes and str(changes["id"]) != str(order["id"]):
        raise HTTPException(status_code=400, detail={"id": ["does not match the order in the URL"]})
    if "shipping_address" in changes:
        address, errors = merged_address(order["shipping_address"] or {}, changes["shipping_address"])
        if errors:
            raise HTTPException(status_code=422, detail=errors)
        order["shipping_address"] = address
    order["updated_at"] = now_text(write.store)
    return write.answer({"order": copy.deepcopy(order)})
