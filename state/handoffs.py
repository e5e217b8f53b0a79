"""What the customer is told when something goes to a person: one honest sentence per reason.

A workflow's reply says what is true ("I could not reach the store's system just now", "I cannot
refund order #1001 myself: it has not shipped yet"); `compose` then ends the reply with exactly one
handoff sentence (`closing`), whatever the number of asks handed off. The generic reasons every
workflow shares have their explanation here (`WHY`); a workflow's own reasons (its policy's
refusals) are explained by the workflow, which knows the order and the rule.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from state.schema import HandoffReason

WHY: Mapping[HandoffReason, str] = {
    "tool_refused": "That is not something I can do in this conversation.",
    "tool_failed": "I could not reach the store's system just now.",
    "model_unavailable": "I cannot look into this right now: our assistant is unavailable.",
    "deadline": "This is taking longer than it should, so I have stopped here.",
    "no_reply": "I could not finish this myself.",
    "internal_error": "Sorry, something went wrong on our side.",
    "write_unconfirmed": (
        "I sent your {what}, but the store did not confirm it, so I cannot tell you yet whether it went through."
    ),
    "unverified": (
        "I can only make a change like this (a refund, a cancellation, an address change) for a customer "
        "who is signed in, so I have changed nothing."
    ),
}
"""The explanation of a generic reason, said before the handoff sentence (`{what}`: the write)."""

CLOSING = "I have passed this to a colleague, who will reply here."
PARTIAL = "I have passed the rest of your message to a colleague, who will reply here."
"""The handoff sentence when part of the message was answered and the rest goes to a person."""
CLOSINGS: Mapping[HandoffReason, str] = {
    "customer_asked": "I have passed your conversation to a colleague, who will reply here.",
    "write_unconfirmed": "A colleague is checking it and will reply here; please do not ask again in the meantime.",
    "unverified": "I have passed it to a colleague, who will check it is you and reply here.",
    "retention_offer_accepted": "I have passed the offer to a colleague, who will apply it and confirm here.",
    "internal_error": "I have passed your message to a colleague, who will reply here.",
    "already_fulfilled": "I have passed this to a colleague, who can check with the carrier and will reply here.",
    "partially_fulfilled": "I have passed this to a colleague, who can check with the carrier and will reply here.",
    "order_cancelled": "I have passed this to a colleague, who will reply here.",
}
"""A reason's own handoff sentence, where the default would say less than is true."""
GENERIC_CLOSING: frozenset[HandoffReason] = frozenset({"not_automated", "no_workflow", "not_enabled"})
"""Reasons whose handoff sentence becomes `PARTIAL` when another ask of the message was answered."""
FIRST: tuple[HandoffReason, ...] = ("write_unconfirmed", "unverified", "customer_asked")
"""Reasons whose sentence wins when several asks are handed off: what the customer must know."""


def why(reason: HandoffReason, **terms: str) -> str:
    """The explanation of a generic reason."""
    return WHY[reason].format(**terms)


def closing(reasons: Sequence[HandoffReason], *, answered: bool) -> str:
    """The one handoff sentence of a reply handing off asks for `reasons` (in the customer's order);
    `answered`: another ask of the same message was answered."""
    reason = next((r for r in FIRST if r in reasons), reasons[0])
    if reason in CLOSINGS:
        return CLOSINGS[reason]
    return PARTIAL if answered and reason in GENERIC_CLOSING else CLOSING


def reply_with_closing(said: str, reasons: Sequence[HandoffReason], *, answered: bool) -> str:
    """`said`, then the handoff sentence."""
    sentence = closing(reasons, answered=answered)
    if not said.strip():
        return sentence
    return f"{said}\n\n{sentence}" if "\n\n" in said else f"{said} {sentence}"
