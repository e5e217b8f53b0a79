"""Pure policy for `address_change`: may this order's address change, to this address, now?

No I/O, clock or randomness: every input is an argument, so these are property-tested
(tests/workflows/test_address_policy.py). Invariant guarded here (ARCHITECTURE, scoped tools): the
address write runs only when, in code, (a) the order is the customer's and not fulfilled, (b) every
field of the new address was written by the customer (never taken from tool data), and (c) the
customer confirmed, in a later turn than we asked, this exact order and this exact address.

An order here is the summary `tools.addresses.order_summary` builds (`order_id`, `order_number`,
`fulfillment_status`, `cancelled_at`, `fulfillments`, `shipping_address`); an address is a dict of
Shopify's fields (`ADDRESS_FIELDS`); a recorded ask or confirmation is `{"order_id", "order_number",
"address", "turn"}`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, Literal

from routing.ids import named_orders
from tools.addresses import clean_address
from workflows.kit.answers import CANCEL, Answer, read_answer
from workflows.kit.confirm import Confirmation
from workflows.kit.confirm import idempotency_key as make_key
from workflows.kit.policy import Refusal

REQUIRED_FIELDS = ("address1", "city", "zip")

FulfilmentRule = Literal["order_cancelled", "already_fulfilled", "partially_fulfilled"]
AddressRule = Literal["address_incomplete", "address_not_from_customer"]
WriteRule = Literal["order_not_eligible", "not_confirmed", "confirmed_other_order", "confirmed_other_address"]

_UNIT = r"(?:apt|apartment|suite|ste|unit|floor|fl|flat|#)\.?\s*[A-Za-z0-9-]+"
_ONE_LINE = re.compile(
    r"(?P<address1>\b\d{1,6}[A-Za-z]?(?:\s+(?!\d+\b)[A-Za-z0-9.'-]+){1,6}?)"
    rf"(?:\s*,\s*(?P<address2>{_UNIT}))?"
    r"\s*,\s*(?P<city>[A-Za-z][A-Za-z.' -]*?[A-Za-z.])"
    r"\s*,?\s+(?P<province_code>[A-Za-z]{2})"
    r"\s+(?P<zip>\d{5}(?:-\d{4})?)\b"
    r"(?:\s*,?\s*(?P<country>USA|US|United States(?: of America)?)\b)?",
    re.IGNORECASE,
)
_SEPARATORS = re.compile(r"[^\w#-]+")
COUNTRY_NAMES = {"US": ("US", "USA", "U.S.", "U.S.A.", "United States", "United States of America")}
"""How a customer may write a country whose code the address carries."""


def read_change_answer(text: str) -> Answer:
    """The customer's answer to "shall I change it?": here "cancel" or "stop it" is a no, never a yes."""
    return read_answer(text, also_no=CANCEL)


def read_address(text: str) -> dict[str, str] | None:
    """The one-line US address the customer wrote ("500 Oak Road, Springfield, IL 62704"), or None.

    Code reads this common shape itself; any other shape is left to the model's proposal, which
    must pass `address_refusal` all the same.
    """
    found = _ONE_LINE.search(text)
    if found is None:
        return None
    parts = found.groupdict()
    address = {
        "address1": " ".join(parts["address1"].split()),
        "address2": parts["address2"] or "",
        "city": " ".join(parts["city"].split()),
        "province_code": parts["province_code"].upper(),
        "zip": parts["zip"],
    }
    if parts["country"]:
        address["country_code"] = "US"
    return address


def fulfilment_refusal(order: Mapping[str, Any]) -> FulfilmentRule | None:
    """Why the order's address can no longer change, or None while nothing of it has shipped."""
    if order.get("cancelled_at"):
        return "order_cancelled"
    status = order.get("fulfillment_status")
    live = [
        f for f in order.get("fulfillments") or [] if f.get("status") not in ("cancelled", "error", "failure")
    ]
    if status == "partial":
        return "partially_fulfilled"
    if status is not None or live:
        return "already_fulfilled"
    return None


def _words(text: str) -> str:
    return f" {_SEPARATORS.sub(' ', text.casefold()).strip()} "


def written_by_customer(value: str, customer_texts: Sequence[str]) -> bool:
    """True when `value` appears, as whole words (case and punctuation aside), in a customer text."""
    needle = _words(value)
    return bool(needle.strip()) and any(needle in _words(text) for text in customer_texts)


def address_refusal(address: Mapping[str, Any], customer_texts: Sequence[str]) -> Refusal | None:
    """Why `address` may not be proposed to the customer, or None when every field is theirs.

    Every field given must appear in what the customer wrote; a street, city and ZIP are needed.
    """
    fields = clean_address(address)
    missing = [f for f in REQUIRED_FIELDS if f not in fields]
    if missing:
        return Refusal("address_incomplete", f"the new address lacks {', '.join(missing)}")
    foreign = [
        f
        for f, v in fields.items()
        if not any(
            written_by_customer(w, customer_texts)
            for w in (COUNTRY_NAMES.get(v.upper(), (v,)) if f == "country_code" else (v,))
        )
    ]
    if foreign:
        return Refusal(
            "address_not_from_customer",
            f"the {', '.join(foreign)} of the new address did not come from the customer's own messages",
        )
    return None


def same_address(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """True when `a` and `b` are the same address, case and spacing aside."""
    return {k: v.casefold() for k, v in clean_address(a).items()} == {
        k: v.casefold() for k, v in clean_address(b).items()
    }


def names_other(text: str, asked: Mapping[str, Any]) -> bool:
    """A yes that names another order or gives another address confirms nothing: it needs a new ask."""
    named = named_orders(text)
    if named and str(asked.get("order_number")) not in named:
        return True
    given = read_address(text)
    return given is not None and not same_address(given, asked.get("address") or {})


def asked_numbers(asked: Mapping[str, Any]) -> list[str]:
    return [str(asked.get("order_number")), *clean_address(asked.get("address") or {}).values()]


CONFIRMATION = Confirmation(
    bound=("order_number", "address"),
    answer=read_change_answer,
    numbers=asked_numbers,
    names_other=names_other,
    same=lambda a, b: (
        str(a.get("order_number")) == str(b.get("order_number"))
        and same_address(a.get("address") or {}, b.get("address") or {})
    ),
)
confirms = CONFIRMATION.confirms
"""True when a text, in a turn, confirms the change we asked about in the turn before."""


def write_refusal(order_number: str, facts: Mapping[str, Any], turn: int) -> Refusal | None:
    """Why writing a new address on `order_number` in `turn` is refused, or None when policy allows it.

    Allowed only for an order looked up as this customer's and unfulfilled, when the customer
    confirmed, in a later turn than we asked, this order at the address we asked about.
    """
    confirmed = facts.get("confirmed")
    if not confirmed or int(confirmed["turn"]) != turn:  # a yes is used in the turn it is given
        return Refusal(
            "not_confirmed", f"the customer has not confirmed the new address for order {order_number}"
        )
    if str(confirmed.get("order_number")) != order_number:
        return Refusal(
            "confirmed_other_order",
            f"the customer confirmed a change to order {confirmed.get('order_number')}, not {order_number}: "
            "a new confirmation is needed",
        )
    order = facts.get("order")
    if not order or str(order.get("order_number")) != order_number or fulfilment_refusal(order):
        return Refusal(
            "order_not_eligible",
            f"order {order_number} has not been checked as this customer's unfulfilled order",
        )
    asked = facts.get("asked")
    if (
        not asked
        or str(asked.get("order_number")) != order_number
        or not same_address(asked.get("address") or {}, confirmed.get("address") or {})
        or int(confirmed["turn"]) <= int(asked["turn"])
    ):
        return Refusal(
            "confirmed_other_address",
            f"the customer has not confirmed the address we asked about for order {order_number}",
        )
    return None


def idempotency_key(
    brand_id: str, conversation_id: str, order_id: str, address: Mapping[str, Any], confirmed_turn: int
) -> str:
    """The write's Idempotency-Key: one per confirmation (a retry of it never writes twice), so
    changing back to an earlier address is a new write, not a replay of the first one."""
    bound = {k: v.casefold() for k, v in clean_address(address).items()}
    return make_key("address", brand_id, conversation_id, str(order_id), bound, confirmed_turn)
