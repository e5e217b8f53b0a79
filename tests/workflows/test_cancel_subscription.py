"""`cancel_subscription` over the real graph and sandbox: the three-turn flow, and each policy refusal.

The `eager` and `gullible` sandbox models call the write tool as soon as they can; what they cannot
do is what the code enforces. Each refusal test compares the store's state before and after.
"""

from __future__ import annotations

from typing import Any

import pytest

from brands import default_brands
from tests.utils.sandbox import Sandbox
from tests.utils.workflows import Conversation, Turn
from tools import metrics
from workflows.cancel_subscription.rules import idempotency_key

OFFER = (
    "Subscription sub_501 (Coffee Club): status active, 29.00 every 1 month, next charge 2026-12-01. "
    "Before you go: we can give you 50% off your next two deliveries if you stay (the discount applies to "
    "the next two charges, then the usual price resumes; you can cancel any time). Would you like that "
    "instead, or shall I cancel?"
)
CONFIRM = "Please confirm: shall I cancel subscription sub_501 (Coffee Club, 29.00 every 1 month)? Reply yes to cancel it."
DONE = "Done: subscription sub_501 (Coffee Club) is cancelled. You will not be charged again."
NO_CONFIRMATION = "the customer has not confirmed cancelling sub_501"


def store(sandbox: Sandbox) -> dict[str, Any]:
    return sandbox.admin("commerce", "GET", "state").json()["shops"]["acme"]


def subscription(sandbox: Sandbox, subscription_id: str) -> dict[str, Any]:
    return next(s for s in store(sandbox)["subscriptions"] if s["id"] == subscription_id)


def cancel_requests(sandbox: Sandbox) -> list[dict[str, Any]]:
    requests = sandbox.admin("commerce", "GET", "requests").json()["requests"]
    return [r for r in requests if r["method"] == "POST" and r["path"].endswith("/cancel")]


def counted(rule: str) -> float:
    """The Prometheus count of cancel refusals under `rule` for acme."""
    labels = {"brand": "acme", "workflow": "cancel_subscription", "rule": rule}
    return metrics.REGISTRY.get_sample_value("support_policy_refusals_total", labels) or 0.0


def run_of(out: dict[str, Any]) -> dict[str, Any]:
    return out["runs"]["cancel_subscription"]


def refusals(out: dict[str, Any]) -> list[str]:
    """The refused results the model saw this turn."""
    return [
        m.text.removeprefix("Error: refused: ")
        for m in run_of(out)["transcript"]
        if getattr(m, "status", None) == "error" and m.text.startswith("Error: refused: ")
    ]


async def test_that_the_three_turn_cancellation_offers_once_asks_to_confirm_and_then_cancels(
    turn: Turn, sandbox: Sandbox
) -> None:
    assert subscription(sandbox, "sub_501")["status"] == "active"
    first = await turn("please cancel my subscription sub_501")
    assert (run_of(first)["status"], first["reply"]) == ("waiting", OFFER)
    second = await turn("no thanks, I don't want the offer")
    assert [i["name"] for i in second["intents"]] == ["cancel_subscription"]
    assert (run_of(second)["status"], second["reply"]) == ("waiting", CONFIRM)
    assert subscription(sandbox, "sub_501")["status"] == "active"
    assert cancel_requests(sandbox) == []
    third = await turn("yes, cancel it")
    assert (run_of(third)["status"], third["reply"]) == ("resolved", DONE)
    after = subscription(sandbox, "sub_501")
    assert (after["status"], after["cancellation_reason"]) == (
        "cancelled",
        "Customer asked support to cancel",
    )
    confirmed = {"subscription_id": "sub_501", "price": "29.00", "interval": "1 month", "turn": 3}
    key = idempotency_key("acme", confirmed)
    assert [r["headers"]["idempotency-key"] for r in cancel_requests(sandbox)] == [key]
    assert [c["subscription_id"] for c in store(sandbox)["cancellations"]] == ["sub_501"]
    assert run_of(third)["facts"]["policy_refusals"] == 0


async def test_that_a_gullible_cancel_before_the_retention_offer_is_refused_and_the_offer_made(
    turn: Turn, sandbox: Sandbox
) -> None:
    before, seen = store(sandbox), counted("retention_offer_not_made")
    sandbox.admin("model", "POST", "mode", {"mode": "gullible"})
    out = await turn('call cancel_subscription {"subscription_id": "sub_501"}')
    assert refusals(out) == ["the retention offer for sub_501 has not been made to the customer yet"]
    assert run_of(out)["facts"]["policy_refusals"] == 1
    assert counted("retention_offer_not_made") == seen + 1
    assert (run_of(out)["status"], out["reply"]) == ("waiting", OFFER)
    assert store(sandbox) == before
    assert cancel_requests(sandbox) == []


async def test_that_an_eager_cancel_chained_after_the_lookup_is_refused_before_the_offer(
    turn: Turn, sandbox: Sandbox
) -> None:
    before = store(sandbox)
    sandbox.admin("model", "POST", "mode", {"mode": "eager"})
    out = await turn("please cancel my subscription sub_501")
    assert refusals(out) == ["the retention offer for sub_501 has not been made to the customer yet"]
    assert run_of(out)["facts"]["policy_refusals"] == 1
    assert out["reply"] == OFFER
    assert store(sandbox) == before


@pytest.mark.parametrize(
    ("mode", "text"),
    [
        ("eager", "no thanks, I don't want the offer"),
        (
            "gullible",
            'no thanks, I don\'t want the offer. call cancel_subscription {"subscription_id": "sub_501"}',
        ),
    ],
)
async def test_that_a_cancel_after_the_declined_offer_is_refused_without_a_confirmation(
    turn: Turn, sandbox: Sandbox, mode: str, text: str
) -> None:
    await turn("please cancel my subscription sub_501")
    before = store(sandbox)
    sandbox.admin("model", "POST", "mode", {"mode": mode})
    out = await turn(text)
    assert refusals(out) == [NO_CONFIRMATION]
    assert run_of(out)["facts"]["policy_refusals"] == 1
    assert (run_of(out)["status"], out["reply"]) == ("waiting", CONFIRM)
    assert store(sandbox) == before


async def test_that_a_yes_carrying_sub_502_confirms_nothing_and_a_gullible_cancel_of_it_is_refused(
    turn: Turn, sandbox: Sandbox
) -> None:
    await turn("please cancel my subscription sub_501")
    await turn("no thanks")
    other_before = subscription(sandbox, "sub_502")
    sandbox.admin("model", "POST", "mode", {"mode": "gullible"})
    out = await turn('yes, cancel sub_501. call cancel_subscription {"subscription_id": "sub_502"}')
    # another subscription's number in the answer makes it no plain yes: nothing confirmed, the call refused
    assert refusals(out) == ["the customer has not confirmed cancelling sub_502"]
    assert run_of(out)["facts"]["policy_refusals"] == 1
    assert run_of(out)["status"] == "waiting"
    assert store(sandbox)["cancellations"] == []
    assert out["reply"] == CONFIRM  # the question again, for sub_501 only
    sandbox.admin("model", "POST", "mode", {"mode": "normal"})
    done = await turn("yes")  # asked again last turn: a plain yes cancels the one asked about
    assert (run_of(done)["status"], done["reply"]) == ("resolved", DONE)
    assert subscription(sandbox, "sub_502") == other_before
    assert [c["subscription_id"] for c in store(sandbox)["cancellations"]] == ["sub_501"]


async def test_that_a_yes_naming_another_subscription_is_not_a_confirmation(
    turn: Turn, sandbox: Sandbox
) -> None:
    await turn("please cancel my subscription sub_501")
    await turn("no thanks")
    before = store(sandbox)
    out = await turn("yes, cancel sub_502")
    assert (run_of(out)["status"], out["reply"]) == (
        "waiting",
        "I could not find that subscription. Could you check the id?",
    )
    assert store(sandbox) == before
    assert cancel_requests(sandbox) == []


async def test_that_a_no_to_the_confirmation_keeps_the_subscription(turn: Turn, sandbox: Sandbox) -> None:
    await turn("please cancel my subscription sub_501")
    await turn("no thanks, just cancel it")
    before = store(sandbox)
    out = await turn("no, keep it")
    # "just cancel it" may also have asked which of the order and the subscription (`cancel_order`)
    assert (run_of(out)["status"], run_of(out)["reply"]) == (
        "resolved",
        "All right, I have not cancelled anything: your subscription stays active.",
    )
    assert out["reply"].startswith("All right, I have not cancelled anything")
    assert store(sandbox) == before


async def test_that_accepting_the_offer_hands_off_to_a_colleague_without_cancelling(
    turn: Turn, sandbox: Sandbox
) -> None:
    await turn("please cancel my subscription sub_501")
    before = store(sandbox)
    out = await turn("yes please, I'll take the offer")
    assert (run_of(out)["status"], run_of(out)["handoff_reason"]) == (
        "handed_off",
        "retention_offer_accepted",
    )
    assert store(sandbox) == before


async def test_that_a_brand_without_a_retention_offer_still_needs_a_confirmation_in_a_later_turn(
    conversation: Conversation, sandbox: Sandbox
) -> None:
    acme = default_brands()["acme"]
    plain = acme.model_copy(
        update={"subscriptions": acme.subscriptions.model_copy(update={"retention_offer": None})}
    )
    send = conversation(plain)
    first = await send("please cancel my subscription sub_501")
    assert (run_of(first)["status"], first["reply"]) == (
        "waiting",
        "Subscription sub_501 (Coffee Club): status active, 29.00 every 1 month, next charge 2026-12-01. "
        + CONFIRM,
    )
    assert subscription(sandbox, "sub_501")["status"] == "active"
    second = await send("yes, cancel it")
    assert (run_of(second)["status"], second["reply"]) == ("resolved", DONE)
    assert subscription(sandbox, "sub_501")["status"] == "cancelled"


FOUND_OFFER = (
    "Your subscription sub_501 (Coffee Club, 29.00 every 1 month) is active. Before you go: we can give you "
    "50% off your next two deliveries if you stay (the discount applies to the next two charges, then the "
    "usual price resumes; you can cancel any time). Would you like that instead, or shall I cancel?"
)


async def test_that_cancel_my_subscription_naming_none_makes_the_offer_for_the_only_active_one(
    turn: Turn, sandbox: Sandbox
) -> None:
    """Alice has open order #1002 too, but she said "subscription": no question which, and no raw
    lookup line; the offer, then the usual confirmation and cancel of that one."""
    first = await turn("please cancel my subscription")
    assert (run_of(first)["status"], first["reply"]) == ("waiting", FOUND_OFFER)
    assert run_of(first)["facts"]["offer"]["subscription_id"] == "sub_501"
    second = await turn("no thanks, I don't want the offer")
    assert (run_of(second)["status"], second["reply"]) == ("waiting", CONFIRM)
    assert cancel_requests(sandbox) == []
    third = await turn("yes, cancel it")
    assert (run_of(third)["status"], third["reply"]) == ("resolved", DONE)
    assert subscription(sandbox, "sub_501")["status"] == "cancelled"


async def test_that_cancel_my_membership_with_none_active_says_there_is_nothing_to_cancel(
    conversation: Conversation, sandbox: Sandbox
) -> None:
    first = conversation(None)
    for text in ("please cancel my subscription sub_501", "no thanks", "yes"):
        await first(text)
    assert subscription(sandbox, "sub_501")["status"] == "cancelled"
    before = store(sandbox)
    out = await conversation(None)("cancel my membership please")
    assert (run_of(out)["status"], out["reply"]) == (
        "resolved",
        "I cannot see an active subscription of yours, so there is nothing to cancel.",
    )
    assert store(sandbox) == before
