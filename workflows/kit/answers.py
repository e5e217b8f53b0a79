"""Reading the customer's answer to a question we asked, in code (never by the model).

Pure: no I/O, clock or randomness. One reader for every yes/no question (`read_answer`), with the
words that count as a yes or a no for that question; `plain_answer` says whether a text can
confirm money or an address at all; `next_turn_after` when a yes counts.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from decimal import Decimal
from typing import Any, Literal

Answer = Literal["yes", "no", "unclear"]

YES = re.compile(
    r"\b(yes|yeah|yep|yup|sure|ok|okay|confirm(ed)?|correct|go ahead|please do|do it|i do)\b", re.IGNORECASE
)
NO = re.compile(
    r"\b(no|nope|nah|not|don'?t|do not|never ?mind|keep it|wait|hold on|changed my mind)\b|n't\b",
    re.IGNORECASE,
)
CANCEL = re.compile(r"\b(cancel|end it|stop it|terminate|unsubscribe)\b", re.IGNORECASE)
_QUALIFIED = re.compile(
    r"\b(but|except|only|instead|unless|if|rather|different|another|what|why|how|which)\b", re.IGNORECASE
)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_AMOUNT = re.compile(r"(?<![\d.])(\d{1,7}(?:\.\d{2}))\b(?!\.\d)")


def read_answer(
    text: str,
    *,
    also_yes: re.Pattern[str] | None = None,
    also_no: re.Pattern[str] | None = None,
    yes_unless_no: re.Pattern[str] | None = None,
) -> Answer:
    """The customer's answer: a yes, a no, or unclear (both or neither).

    `also_yes` and `also_no` are what else says yes or no to this question ("cancel" to "shall I
    cancel it?", but a no to "shall I change it?"); `yes_unless_no` says yes only when nothing
    says no ("refund it", but not "don't refund it")."""
    said_no = bool(NO.search(text) or (also_no and also_no.search(text)))
    said_yes = bool(
        YES.search(text)
        or (also_yes and also_yes.search(text))
        or (yes_unless_no and not said_no and yes_unless_no.search(text))
    )
    if said_yes and not said_no:
        return "yes"
    if said_no and not said_yes:
        return "no"
    return "unclear"


def _as_number(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", ""))
    except ArithmeticError:
        return None


def plain_answer(text: str, asked_numbers: Collection[str]) -> bool:
    """Whether `text` can confirm money or an address at all: no question, no condition ("yes, but
    only 30"), and no number but those of what we asked about (the order, the amount, the address).
    Anything else is not a yes to our question: we ask again."""
    if "?" in text or _QUALIFIED.search(text):
        return False
    allowed = {_as_number(n) for n in asked_numbers for n in _NUMBER.findall(n)}
    return all(_as_number(n) in allowed for n in _NUMBER.findall(text))


def next_turn_after(asked: Mapping[str, Any] | None, turn: int) -> bool:
    """A confirmation counts only in the turn right after we asked: a yes given later (after other
    questions, or meant for another workflow's ask) gets the question again, with what it is about."""
    return asked is not None and int(asked.get("turn", turn)) + 1 == turn


def named_amounts(text: str) -> set[Decimal]:
    """The money amounts (two decimals) the text names."""
    return {Decimal(a) for a in _AMOUNT.findall(text)}


def as_amount(value: object) -> Decimal | None:
    """`value` as a finite money amount, else None (a model may send anything)."""
    try:
        amount = Decimal(str(value))
    except ArithmeticError:
        return None
    return amount if amount.is_finite() else None
