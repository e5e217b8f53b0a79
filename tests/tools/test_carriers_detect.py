"""Tracking-number detection: real formats, check digits, and which carrier gets the number."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tools.carriers.detect import (
    carrier_from_company,
    detect,
    dhl_express_check_digit,
    fedex_express_check_digit,
    gs1_check_digit,
    s10_check_digit,
    ups_check_digit,
)


def digits(n: int) -> st.SearchStrategy[str]:
    return st.text(alphabet="0123456789", min_size=n, max_size=n)


# Published example numbers (carrier documentation, the UPU S10 standard's worked example) and the
# demo store's numbers; each with the carrier and format it must be detected as.
KNOWN = [
    ("1Z999AA10123456784", "ups", "1Z"),
    ("1Z 999 AA1 01 2345 6784", "ups", "1Z"),
    ("1z999aa10123456784", "ups", "1Z"),
    ("RB123456785GB", "royal_mail", "s10"),
    ("AA473124829GB", "royal_mail", "s10"),
    ("EA123456785US", "usps", "s10"),
    ("RR123456785DE", "deutsche_post", "s10"),
    ("RR123456785BR", "upu_br", "s10"),
    ("9400111899223854165703", "usps", "impb22"),
    ("9400 1112 0108 0805 4830 16", "usps", "impb22"),
    ("420221539101026837331000039521", "usps", "impb22"),
    ("71123456789123456787", "usps", "usps20"),
    ("986578788855", "fedex", "express12"),
    ("477179081230", "fedex", "express12"),
    ("0414 4176 0228 964", "fedex", "ground15"),
    ("9611020987654312345672", "fedex", "ground96"),
    ("61299998820821171811", "fedex", "smartpost20"),
    ("00000123450000000027", "fedex", "sscc20"),
    ("3318810025", "dhl", "express10"),
    ("8487135506", "dhl", "express10"),
]


@pytest.mark.parametrize(("raw", "carrier", "fmt"), KNOWN)
def test_that_real_tracking_numbers_are_detected_with_their_carrier_and_format(
    raw: str, carrier: str, fmt: str
) -> None:
    found = detect(raw)
    assert ((found.carrier, found.format) if found else None) == (carrier, fmt)
    assert found is not None and " " not in found.number and found.number == found.number.upper()


@pytest.mark.parametrize(
    "raw",
    [
        "1Z999AA10123456785",  # UPS, wrong check digit
        "RB123456784GB",  # S10, wrong check digit
        "9400111899223854165704",  # IMpb, wrong check digit
        "996578788855",  # FedEx Express, wrong check digit
        "3318810020",  # DHL Express, wrong check digit
        "9611020987654312345671",  # FedEx Ground 96, wrong check digit
        "1001",  # an order number
        "",
        "sub_501",
    ],
)
def test_that_numbers_with_a_wrong_check_digit_or_no_format_are_not_detected(raw: str) -> None:
    assert detect(raw) is None


def test_that_the_check_digit_functions_match_the_published_examples() -> None:
    assert ups_check_digit("999AA1012345678") == 4
    assert s10_check_digit("47312482") == 9  # the S10 standard's worked example, AA473124829GB
    assert s10_check_digit("12345678") == 5  # remainder 6: 11 - 6 = 5
    assert gs1_check_digit("400638133393") == 1  # EAN-13 4006381333931
    assert fedex_express_check_digit("98657878885") == 5
    assert dhl_express_check_digit("331881002") == 5


@given(body=st.text(alphabet="0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=15, max_size=15))
def test_that_any_1z_body_with_its_check_digit_is_ups_and_every_other_check_digit_is_not(body: str) -> None:
    check = ups_check_digit(body)
    assert detect(f"1Z{body}{check}") is not None
    assert [d for d in range(10) if detect(f"1Z{body}{d}") is not None] == [check]


@given(
    serial=digits(8),
    prefix=st.sampled_from(["RB", "EA", "CP", "LX"]),
    country=st.sampled_from(["GB", "US", "FR"]),
)
def test_that_an_s10_item_belongs_to_the_postal_operator_of_its_country(
    serial: str, prefix: str, country: str
) -> None:
    number = f"{prefix}{serial}{s10_check_digit(serial)}{country}"
    found = detect(number)
    assert found is not None
    assert found.carrier == {"GB": "royal_mail", "US": "usps", "FR": "la_poste"}[country]
    check = s10_check_digit(serial)
    assert all(detect(f"{prefix}{serial}{d}{country}") is None for d in range(10) if d != check)


@given(body=digits(20), service=st.sampled_from(["92", "93", "94", "95"]))
def test_that_a_22_digit_impb_with_a_valid_gs1_digit_is_usps(body: str, service: str) -> None:
    data = service + body[:19]
    found = detect(data + str(gs1_check_digit(data)))
    assert found is not None and found.carrier == "usps"
    assert detect(data + str((gs1_check_digit(data) + 1) % 10)) is None


@given(body=digits(11))
def test_that_a_12_digit_number_is_fedex_express_only_with_its_check_digit(body: str) -> None:
    check = fedex_express_check_digit(body)
    found = detect(body + str(check))
    assert found is not None and (found.carrier, found.format) == ("fedex", "express12")
    assert all(detect(body + str(d)) is None for d in range(10) if d != check)


@given(body=digits(9))
def test_that_a_10_digit_number_is_dhl_express_only_with_its_mod_7_digit(body: str) -> None:
    check = dhl_express_check_digit(body)
    found = detect(body + str(check))
    assert found is not None and found.carrier == "dhl"
    assert all(detect(body + str(d)) is None for d in range(7, 10) if d != check)


@pytest.mark.parametrize(
    ("company", "carrier"),
    [("UPS", "ups"), ("Royal Mail", "royal_mail"), ("  royal   MAIL ", "royal_mail"), ("FedEx", "fedex"),
     ("Acme Couriers", None), (None, None), ("", None)],
)  # fmt: skip
def test_that_a_store_carrier_name_maps_to_a_carrier(company: str | None, carrier: str | None) -> None:
    assert carrier_from_company(company) == carrier
