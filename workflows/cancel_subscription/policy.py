"""`CancelPolicy`: lookup, the brand's retention offer once, a bound confirmation, the cancel.

Policy in code (ARCHITECTURE invariant 3), never in the prompt; the turns go:
1. the customer asks to cancel `sub_x`: the code looks it up and the reply makes the brand's
   retention offer (`facts["offer"]`: the subscription's terms and the turn);
2. a later turn declines it: the code looks the subscription up again and asks to confirm
   cancelling it at its current terms (`facts["asked"]`); accepting the offer hands off to a
   colleague who applies it;
3. a later turn says yes: confirm-then-write (`workflows.kit.confirm`) records the confirmation,
   bound to the asked terms, and calls the cancel itself, with an idempotency key derived from
   the brand and the confirmation. The tool re-checks the terms; a changed price
   (`terms_changed`) needs a new confirmation.

Every cancel call, the model's or the code's, passes the guard (`rules.cancel_refusal`): a refused
precondition is an error result the model sees, counted in `facts["policy_refusals"]` and the
`support_policy_refusals` metric (by rule), and logged.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from langchain_core.messages import AnyMessage, ToolCall, ToolMessage

from brands.context import BrandContext
from routing.ids import named_orders, named_subscriptions
from tools.errors import error_code
from tools.order_cancel import FIND_CANCELLABLE
from tools.subscriptions import CANCEL_SUBSCRIPTION, GET_SUBSCRIPTION
from workflows.cancel_subscription.facts import CancelFacts
from workflows.cancel_subscription.rules import (
    CONFIRMATION,
    cancel_refusal,
    idempotency_key,
    read_confirmation,
    read_offer_answer,
)
from workflows.kit.cancellable import (
    NOTHING_TO_CANCEL,
    SUBSCRIPTION_WORDS,
    choices,
    nothing_to_cancel,
    which_text,
)
from workflows.kit.confirm import ConfirmedWrite
from workflows.kit.policy import Outcome, Refusal, Step, policy_call
from workflows.kit.subgraph import failed_lookup
from workflows.kit.transcript import (
    customer_text,
    data_text,
    errors,
    final_text,
    good,
    refusal_reasons,
    results,
)

ASK_ID = "Which subscription would you like to cancel? Its id looks like sub_501."


def _terms(step: Mapping[str, Any]) -> str:
    return f"{step['product']}, {step['price']} every {step['interval']}"


def retention_of(ctx: BrandContext) -> dict[str, Any] | None:
    """The brand's retention offer as it is made now; kept with the offer in the run's facts, so an
    offer made is honoured whatever the brand file says later."""
    offer = ctx.brand.subscriptions.retention_offer
    return None if offer is None else {"text": offer.text, "terms": offer.terms}


def offer_text(offer: Mapping[str, Any] | None) -> str:
    if offer is None:
        return ""
    terms = f" ({offer['terms']})" if offer.get("terms") else ""
    return f" Before you go: we can give you {offer['text']}{terms}. Would you like that instead, or shall I cancel?"


def confirm_text(asked: Mapping[str, Any]) -> str:
    return (
        f"Please confirm: shall I cancel subscription {asked['subscription_id']} ({_terms(asked)})? "
        "Reply yes to cancel it."
    )


def _lookup(subscription_id: str, turn: int) -> ToolCall:
    return policy_call(GET_SUBSCRIPTION.name, {"subscription_id": subscription_id}, turn)


class CancelPolicy(ConfirmedWrite[CancelFacts]):
    confirmation = CONFIRMATION
    writes = CANCEL_SUBSCRIPTION
    what = "cancellation"
    failed_reply = "The store did not take the cancellation, so your subscription is unchanged."

    def step(
        self, transcript: Sequence[AnyMessage], facts: CancelFacts, turn: int, ctx: BrandContext
    ) -> Step:
        """Read the customer's answer to what we asked last, in code; look up or cancel ourselves."""
        text = customer_text(transcript)
        asked, offer = facts.get("asked"), facts.get("offer")
        if asked and not facts.get("cancelled") and asked["turn"] < turn:
            yes = self.read_yes(text, facts, turn)
            if yes is not None:
                return yes
            if read_confirmation(text) == "no" and not named_subscriptions(text):
                return Step(facts={"kept": turn})
        elif (
            offer
            and not asked
            and offer["turn"] < turn
            and not set(named_subscriptions(text)) - {offer["subscription_id"]}
        ):
            answer = read_offer_answer(text)
            if answer == "decline":
                return Step((_lookup(offer["subscription_id"], turn),), {"declined": turn})
            if answer == "accept":
                return Step(facts={"accepted": turn})
        named = sorted(named_subscriptions(text))
        if named:  # a (new) ask naming a subscription: look it up first, in code
            return Step((_lookup(named[0], turn),), {"choices": None})
        naming = ctx.brand.commerce.order_name
        if facts.get("choices") and named_orders(text, naming.prefix, naming.suffix):  # chose an order
            return Step(facts={"choices": None, "other_chosen": turn})
        if not (offer or asked):
            # "cancel it" or "cancel my subscription" naming none: which ones are there?
            # (workflows.kit.cancellable; `decide` asks which, or makes the offer for the only one)
            return Step((policy_call(FIND_CANCELLABLE.name, {}, turn, "find"),))
        return Step()

    def call_args(self, confirmed: Mapping[str, Any]) -> dict[str, Any]:
        return {"subscription_id": confirmed["subscription_id"]}

    def write_refusal(
        self, call: ToolCall, facts: CancelFacts, turn: int, ctx: BrandContext
    ) -> Refusal | None:
        del ctx
        return cancel_refusal(str(call["args"].get("subscription_id", "")), facts, turn)

    def write_args(self, call: ToolCall, confirmed: Mapping[str, Any], ctx: BrandContext) -> dict[str, Any]:
        return {
            "subscription_id": str(call["args"].get("subscription_id", "")),
            "idempotency_key": idempotency_key(ctx.brand_id, confirmed),
            "confirmed_price": str(confirmed["price"]),
            "confirmed_interval": str(confirmed["interval"]),
        }

    def written(self, result: ToolMessage, facts: CancelFacts, turn: int, ctx: BrandContext) -> Outcome:
        sub = result.artifact["subscription"]
        reply = f"Done: subscription {sub['subscription_id']} ({sub['product']}) is cancelled. You will not be charged again."
        used = {"cancelled": {**sub, "turn": turn}, "asked": None, "confirmed": None}  # one yes, one cancel
        return Outcome("resolved", reply, facts=used)

    def not_written(
        self,
        code: str | None,
        result: ToolMessage,
        confirmed: Mapping[str, Any],
        facts: CancelFacts,
        turn: int,
        ctx: BrandContext,
    ) -> Outcome:
        if code == "terms_changed":  # bound to the old terms: ask again, at the new ones
            reason = result.text.removeprefix("Error: ")
            return Outcome(
                "waiting",
                f"I have not cancelled it: {reason}. Tell me if you still want it cancelled.",
                facts={"asked": None, "confirmed": None},
            )
        return self.failed()

    def decide(
        self, transcript: Sequence[AnyMessage], facts: CancelFacts, turn: int, ctx: BrandContext
    ) -> Outcome:
        wrote = self.decide_write(transcript, facts, turn, ctx)
        if wrote is not None:
            return wrote
        if facts.get("accepted") == turn:
            return Outcome(
                "handed_off",
                "Glad you are staying!",
                "retention_offer_accepted",
            )
        if facts.get("kept") == turn:
            return Outcome(
                "resolved", "All right, I have not cancelled anything: your subscription stays active."
            )
        if facts.get("other_chosen") == turn:
            return Outcome("resolved", "All right: your subscription stays as it is.")
        text = customer_text(transcript)
        cancellable = _cancellable(text, transcript, ctx)
        if cancellable is not None and cancellable[0] and cancellable[1]:
            orders, subs = cancellable
            return Outcome(
                "waiting", which_text(orders, subs), facts={"choices": choices(orders, subs, turn)}
            )
        return (
            self._after_lookup(transcript, facts, turn, ctx)
            or self._after_find(cancellable, turn, ctx, text)
            or self._fallback(transcript, facts, turn, ctx)
        )

    def _after_lookup(
        self, transcript: Sequence[AnyMessage], facts: CancelFacts, turn: int, ctx: BrandContext
    ) -> Outcome | None:
        found = good(results(transcript, GET_SUBSCRIPTION.name))
        if not found:
            return None
        sub = found[-1].artifact["subscription"]
        described = data_text(found[-1])
        if sub["status"] != "active":
            return Outcome("resolved", f"{described} It is not active, so there is nothing to cancel.")
        offer = facts.get("offer")
        no_offer = ctx.brand.subscriptions.retention_offer is None
        terms = {**sub, "turn": turn}
        if not (offer and offer["subscription_id"] == sub["subscription_id"] and offer["turn"] < turn):
            return _new_ask(terms, described, ctx)
        asked = facts.get("asked")
        already_asked = asked is not None and asked["subscription_id"] == sub["subscription_id"]
        if facts.get("declined") == turn or no_offer or already_asked:  # (again) the confirmation question
            return Outcome("waiting", confirm_text(terms), facts={"asked": terms, "confirmed": None})
        return Outcome(
            "waiting", f"{described}{offer_text(_retention(offer))}"
        )  # not answered yet: the offer stands

    def _after_find(
        self,
        cancellable: tuple[list[dict[str, Any]], list[dict[str, Any]]] | None,
        turn: int,
        ctx: BrandContext,
        text: str,
    ) -> Outcome | None:
        """The customer named no subscription: the offer for the only active one, which of several,
        or that there is none (pointing to an open order by its number; with no open order either,
        for an ask naming neither kind, what the order cancellation says too)."""
        if cancellable is None:
            return None
        orders, subs = cancellable
        if len(subs) == 1:
            sub = subs[0]
            described = f"Your subscription {sub['subscription_id']} ({_terms(sub)}) is active."
            return _new_ask({**sub, "turn": turn}, described, ctx)
        if subs:
            return Outcome("waiting", which_text([], subs), facts={"choices": choices([], subs, turn)})
        if "cancel_order" in ctx.brand.workflows and nothing_to_cancel(
            "cancel_subscription", text, orders, subs
        ):
            return Outcome("resolved", NOTHING_TO_CANCEL)  # what the order cancellation says too
        reply = "I cannot see an active subscription of yours, so there is nothing to cancel."
        if orders:
            reply += f' If you meant order {orders[0]["order"]}, say "cancel order {orders[0]["order"]}".'
        return Outcome("resolved", reply)

    def _fallback(
        self, transcript: Sequence[AnyMessage], facts: CancelFacts, turn: int, ctx: BrandContext
    ) -> Outcome:
        """No lookup and no cancel this turn: say why, or ask again what is still open."""
        refused = refusal_reasons(transcript, CANCEL_SUBSCRIPTION.name)
        asked = facts.get("asked")
        if refused:
            reason = refused[0]
            if asked and not facts.get("cancelled"):  # the question still stands: asked again
                again = f"I cannot cancel anything yet: {reason}. {confirm_text(asked)}"
                return Outcome("waiting", again, facts={"asked": {**asked, "turn": turn}})
            return Outcome("waiting", f"I cannot cancel anything yet: {reason}. {ASK_ID}")
        failed = [
            m for m in errors(results(transcript)) if m not in results(transcript, FIND_CANCELLABLE.name)
        ]
        if any(error_code(m) == "not_found" for m in failed):
            return Outcome("waiting", "I could not find that subscription. Could you check the id?")
        if failed:
            return failed_lookup(failed)
        offer = facts.get("offer")
        if asked and not facts.get("cancelled"):  # asked again: a yes now counts in the next turn
            return Outcome("waiting", confirm_text(asked), facts={"asked": {**asked, "turn": turn}})
        if offer and not facts.get("cancelled") and _retention(offer) is not None:
            return Outcome(
                "waiting", f"About subscription {offer['subscription_id']}:{offer_text(_retention(offer))}"
            )
        return Outcome("waiting", final_text(transcript) or ASK_ID)


def _new_ask(terms: Mapping[str, Any], described: str, ctx: BrandContext) -> Outcome:
    """A new ask to cancel this subscription: the brand's offer (made once), or, for a brand
    without one, the confirmation question at once."""
    retention = retention_of(ctx)
    no_offer = retention is None
    reply = f"{described} {confirm_text(terms)}" if no_offer else f"{described}{offer_text(retention)}"
    made = {
        "offer": {**terms, "retention": retention},
        "asked": dict(terms) if no_offer else None,
        "confirmed": None,
        "cancelled": None,
    }
    return Outcome("waiting", reply, facts=made)


def _cancellable(
    text: str, transcript: Sequence[AnyMessage], ctx: BrandContext
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]] | None:
    """This turn's open orders and active subscriptions (`find_cancellable`), None when not looked
    up; no orders when the customer (`text`) said it is a subscription, or the brand cancels no
    orders here."""
    found = good(results(transcript, FIND_CANCELLABLE.name))
    if not found:
        return None
    orders, subs = list(found[-1].artifact["orders"]), list(found[-1].artifact["subscriptions"])
    if SUBSCRIPTION_WORDS.search(text) or "cancel_order" not in ctx.brand.workflows:
        orders = []
    return orders, subs


def _retention(offer: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """The retention offer made (pinned with it); None when none was made."""
    return (offer or {}).get("retention")
