"""A letter's salutation names who is written to; it asks nothing (`routing.reading._SALUTATION`).

Contact-form letters open with "Dear customer service," and the classifier read that line as a
request for a person: the letter's real ask was handed off beside it."""

from __future__ import annotations

import pytest

from routing.reading import _SALUTATION, read_message
from workflows.registry import REGISTRY


def asks(text: str) -> list[str]:
    return [i["name"] for i in read_message(text, REGISTRY.router).intents]


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "Dear customer support,\n\nMy order 1001 has been in transit for eleven days now. "
            "Could you tell me when it will arrive?\n\nKind regards,\nAlice",
            ["order_status"],
        ),
        (
            "Dear customer service\n\nI would like to cancel order 1002, I bought the same grinder in a shop.",
            ["cancel_order"],
        ),
        ("Dear customer support", []),
    ],
)
def test_a_salutation_is_not_a_request_for_a_person(text: str, expected: list[str]) -> None:
    assert asks(text) == expected


@pytest.mark.parametrize(
    "text", ["hi agent", "Hi Agent", "Hello Sam, can I speak to a manager please?", "hey HUMAN"]
)
def test_a_greeting_that_asks_for_a_person_still_does(text: str) -> None:
    assert "handoff" in asks(text)


@pytest.mark.parametrize(
    "part, salutation",
    [
        ("Dear Acme customer service,", True),
        ("Hello support team!", True),
        ("Dear Sir/Madam,", True),
        ("Good morning,", True),
        ("Dear Manager", False),
        ("hello refund", False),
        ("dear customer service i want a refund", False),
        ("Hello, please", False),
    ],
)
def test_what_counts_as_a_salutation(part: str, salutation: bool) -> None:
    assert bool(_SALUTATION.match(part)) is salutation
