"""Tracking-number detection: which carrier issued a number, by its real format and check digit.

Pure functions, no I/O. A number counts only when its check digit is right, so a typo or an order
number is not sent to a carrier. Formats (digits only unless said):

| carrier | format | check digit |
| --- | --- | --- |
| UPS | `1Z` + 15 letters/digits + 1 | mod 10: letters as (ord - 63) mod 10, odd positions x1, even x2 |
| FedEx Express | 12 | weights 3 1 7 repeating over 11 digits, sum mod 11 mod 10 |
| FedEx Ground | 15 | GS1 mod 10 over the first 14 |
| FedEx Ground SSCC | 20: `00` + SSCC-18 | GS1 mod 10 over the first 19 |
| FedEx Ground 96 | 22: `96` + 5 + 14 + 1 | GS1 mod 10 over the last 14 before the check digit |
| FedEx SmartPost | 20 | GS1 mod 10 over `92` + the first 19 |
| USPS IMpb | 22: `91`-`95` + 19 + 1, or with a `420` + ZIP routing prefix | GS1 mod 10 over the first 21 |
| USPS | 20 | GS1 mod 10 over the first 19 |
| UPU S10 | 2 letters + 8 + 1 + ISO country | weights 8 6 4 2 3 5 9 7, 11 - sum mod 11; 10 -> 0, 11 -> 5 |
| DHL Express | 10 | the first 9 as a number, mod 7 |

Where one string fits two formats the table's order decides, except that 20-digit numbers starting
`00` are FedEx SSCCs and other valid 20-digit numbers USPS first. An S10 item belongs to the postal
operator of its country suffix (`US` -> USPS, `GB` -> Royal Mail ...).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

NATIVE_CARRIERS = ("ups", "fedex", "usps", "dhl")
"""Carriers with a native integration module in `tools/carriers/`."""

S10_OPERATORS: dict[str, str] = {
    "US": "usps",
    "GB": "royal_mail",
    "CA": "canada_post",
    "DE": "deutsche_post",
    "FR": "la_poste",
    "NL": "postnl",
    "AU": "australia_post",
    "JP": "japan_post",
    "CN": "china_post",
}
"""Postal operators by the S10 country suffix; any other country is `upu_<cc>`."""

CARRIER_NAMES: dict[str, str] = {
    "ups": "UPS",
    "fedex": "FedEx",
    "usps": "USPS",
    "dhl": "DHL",
    "royal_mail": "Royal Mail",
    "canada_post": "Canada Post",
    "deutsche_post": "Deutsche Post",
    "la_poste": "La Poste",
    "postnl": "PostNL",
    "australia_post": "Australia Post",
    "japan_post": "Japan Post",
    "china_post": "China Post",
}
"""How each carrier is written for a customer."""

_COMPANY_ALIASES: dict[str, str] = {
    "ups": "ups",
    "united parcel service": "ups",
    "fedex": "fedex",
    "federal express": "fedex",
    "usps": "usps",
    "united states postal service": "usps",
    "dhl": "dhl",
    "dhl express": "dhl",
    "royal mail": "royal_mail",
    "canada post": "canada_post",
    "deutsche post": "deutsche_post",
    "la poste": "la_poste",
    "postnl": "postnl",
    "australia post": "australia_post",
}

_SEPARATORS = re.compile(r"[\s-]+")


@dataclass(frozen=True)
class Detection:
    """A number whose format and check digit match one carrier's."""

    carrier: str
    """Carrier slug: `ups`, `fedex`, `usps`, `dhl`, or a postal operator such as `royal_mail`."""
    format: str
    """Which of the carrier's formats matched, e.g. `1Z`, `express12`, `impb22`, `s10`."""
    number: str
    """The number as carriers expect it: upper case, no spaces or dashes."""


def normalise_number(raw: str) -> str:
    return _SEPARATORS.sub("", raw).upper()


def gs1_check_digit(body: str) -> int:
    """GS1 mod 10 (USPS IMpb, FedEx Ground, SSCC): from the right, weights 3 and 1 alternately."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10


def ups_check_digit(body: str) -> int:
    """UPS 1Z over the 15 characters after `1Z`: letters as (ord - 63) mod 10, even indexes x2."""
    values = [int(c) if c.isdigit() else (ord(c) - 63) % 10 for c in body]
    return (10 - (sum(values[0::2]) + 2 * sum(values[1::2])) % 10) % 10


def s10_check_digit(serial: str) -> int:
    """UPU S10 over the 8-digit serial: weights 8 6 4 2 3 5 9 7; 11 - sum mod 11; 10 -> 0, 11 -> 5."""
    check = 11 - sum(w * int(d) for w, d in zip((8, 6, 4, 2, 3, 5, 9, 7), serial, strict=True)) % 11
    return {10: 0, 11: 5}.get(check, check)


def fedex_express_check_digit(body: str) -> int:
    """FedEx Express 12-digit over the first 11: weights 3 1 7 from the left, sum mod 11 mod 10."""
    return sum(w * int(d) for w, d in zip((3, 1, 7) * 4, body, strict=False)) % 11 % 10


def dhl_express_check_digit(body: str) -> int:
    """DHL Express 10-digit air waybill over the first 9: the number mod 7."""
    return int(body) % 7


def _ends_with(check: Callable[[str], int], body: str, digit: str) -> bool:
    return digit.isdigit() and check(body) == int(digit)


def _ups(n: str) -> Detection | None:
    if re.fullmatch(r"1Z[0-9A-Z]{16}", n) and _ends_with(ups_check_digit, n[2:17], n[17]):
        return Detection("ups", "1Z", n)
    return None


def _s10(n: str) -> Detection | None:
    if re.fullmatch(r"[A-Z]{2}\d{9}[A-Z]{2}", n) and _ends_with(s10_check_digit, n[2:10], n[10]):
        country = n[-2:]
        return Detection(S10_OPERATORS.get(country, f"upu_{country.lower()}"), "s10", n)
    return None


def _digits(n: str) -> Detection | None:
    if not n.isdigit():
        return None
    for carrier, fmt, matches in _DIGIT_FORMATS:
        if matches(n):
            return Detection(carrier, fmt, n)
    return None


def _impb(n: str) -> bool:
    if len(n) in (30, 34) and n.startswith("420"):
        n = n[len(n) - 22 :]
    return (
        len(n) == 22
        and n[:2] in ("91", "92", "93", "94", "95")
        and _ends_with(gs1_check_digit, n[:21], n[21])
    )


_DIGIT_FORMATS: Sequence[tuple[str, str, Callable[[str], bool]]] = (
    ("dhl", "express10", lambda n: len(n) == 10 and _ends_with(dhl_express_check_digit, n[:9], n[9])),
    ("fedex", "express12", lambda n: len(n) == 12 and _ends_with(fedex_express_check_digit, n[:11], n[11])),
    ("fedex", "ground15", lambda n: len(n) == 15 and _ends_with(gs1_check_digit, n[:14], n[14])),
    (
        "fedex",
        "sscc20",
        lambda n: len(n) == 20 and n[:2] == "00" and _ends_with(gs1_check_digit, n[:19], n[19]),
    ),
    ("usps", "usps20", lambda n: len(n) == 20 and _ends_with(gs1_check_digit, n[:19], n[19])),
    ("fedex", "smartpost20", lambda n: len(n) == 20 and _ends_with(gs1_check_digit, "92" + n[:19], n[19])),
    (
        "fedex",
        "ground96",
        lambda n: len(n) == 22 and n[:2] == "96" and _ends_with(gs1_check_digit, n[7:21], n[21]),
    ),
    ("usps", "impb22", _impb),
)


def detect(raw: str) -> Detection | None:
    """Return the carrier whose format and check digit `raw` matches, or None."""
    number = normalise_number(raw)
    return _ups(number) or _s10(number) or _digits(number)


def carrier_from_company(company: str | None) -> str | None:
    """The carrier slug a store's `tracking_company` names ("UPS", "Royal Mail"...), if known."""
    if not company:
        return None
    return _COMPANY_ALIASES.get(" ".join(company.lower().split()))


def carrier_name(carrier: str) -> str:
    """How a carrier slug is written for a customer."""
    return CARRIER_NAMES.get(carrier, carrier.replace("_", " ").title())
