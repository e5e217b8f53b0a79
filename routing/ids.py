"""How customers and systems write the ids we act on: one home for every id pattern.

Orders: a store names its orders with a prefix and a suffix around the number (Shopify's default is
"#1001"; a brand sets its own in its brand file, `commerce.order_name`). The rule, the same for the
router and every workflow: a number is an order number only when it is named as one ("order 1001",
"order no. 1001", "#1001", the brand's own form such as "AC-1001-EU"), or when the whole message is
the number (the answer to "which order?"). A bare number inside a sentence is not an order: it is
as often an amount, a ZIP code or a street number ("I paid 1200", "62704"), and a lookup of the
wrong order is a question about someone else's data.
"""

from __future__ import annotations

import re
from functools import cache

ORDER_DIGITS = r"\d{4,10}"
"""The number inside an order's name, as the tools' argument schemas accept it."""
SUBSCRIPTION_ID = r"\bsub_[A-Za-z0-9]+"
"""A Recharge-style subscription id ("sub_501"), as tools accept it and the tokenizer keeps it whole."""
EMAIL = r"[\w.+-]+@[\w-]+\.[\w.-]+"
TRACKING_NUMBER = r"\b(?:1Z[0-9A-Z]{16}|[A-Z]{2}\d{9}[A-Z]{2}|9[2-5]\d{18,20})\b"
"""UPS 1Z, UPU S10, USPS IMpb."""

_BARE_ORDER = re.compile(rf"^\s*#?({ORDER_DIGITS})\s*[.!]?\s*$")
_SUBSCRIPTION = re.compile(rf"({SUBSCRIPTION_ID})")


@cache
def order_pattern(prefix: str = "#", suffix: str = "") -> re.Pattern[str]:
    """An order named in text, for a store whose order names are `prefix` + number + `suffix`;
    group 1 is the number. "order 1001" and "#1001" always count, whatever the store's form."""
    forms = [r"order\s*(?:number|no\.?|nr\.?)?\s*(?:is\s+|:\s*)?#?\s*", r"#\s*"]
    if prefix and prefix.strip() != "#":
        forms.append(re.escape(prefix.strip()))
    tail = f"(?:{re.escape(suffix)})?" if suffix else ""
    return re.compile(rf"(?:{'|'.join(forms)})({ORDER_DIGITS})(?!\d){tail}", re.IGNORECASE)


def named_orders(text: str, prefix: str = "#", suffix: str = "") -> list[str]:
    """The order numbers `text` names (see the module's rule), in order, without repeats; a
    message that is only a number names that order."""
    found = order_pattern(prefix, suffix).findall(text)
    bare = _BARE_ORDER.match(text)
    return list(dict.fromkeys(found or ([bare.group(1)] if bare else [])))


def order_name(number: str, prefix: str = "#", suffix: str = "") -> str:
    """The store's name of order `number` ("#1001")."""
    return f"{prefix}{number}{suffix}"


def named_subscriptions(text: str) -> list[str]:
    """The subscription ids `text` names, in order, without repeats."""
    return list(dict.fromkeys(_SUBSCRIPTION.findall(text)))
