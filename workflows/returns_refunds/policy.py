"""`ReturnsPolicy`: return an order for a refund, within brand policy, after a bound confirmation.

Policy in code (ARCHITECTURE invariant 3), never in the prompt; the turns go:
1. the customer names an order: the code looks it up (`get_order_for_return`) and decides with
   `rules.return_refusal` from the brand's `returns` parameters (window from the first shipment,
   refund cap, currency). Not shipped, already refunded, outside the window or above the cap: the
   intent is handed off with that reason and nothing is written. Within policy the reply says the
   amount (the order's total) and asks to confirm it (`facts["asked"]`);
2. a later turn says yes, naming no other order or amount: confirm-then-write
   (`workflows.kit.confirm`) records the confirmation (bound to the order, amount and currency
   asked) and calls `issue_refund` itself, with an idempotency key derived from the conversation,
   the order and the amount. The tool re-checks the live order; a changed amount
   (`terms_changed`) needs a new confirmation.

Every `issue_refund` call, the model's or the code's, passes the guard (`rules.refund_refusal`):
no confirmation, another order or amount than confirmed, above the cap, outside the window (at
the guard's own clock) or already refunded is an error result the model sees, counted in
`facts["policy_refusals"]` and the `support_policy_refusals` metric, and logged.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from langchain_core.messages import AnyMessage, ToolCall, ToolMessage

from brands import ReturnsPolicy as ReturnsParams
from brands.context import BrandContext
from routing.ids import named_orders
from tools.errors import error_code
from tools.returns import GET_ORDER_FOR_RETURN, ISSUE_REFUND
from workflows.kit.answers import as_amount, named_amounts
from workflows.kit.confirm import ConfirmedWrite, utc_now
from workflows.kit.policy import Outcome, Refusal, Step, policy_call
from workflows.kit.subgraph import failed_lookup
from workflows.kit.transcript import customer_text, errors, final_text, good, refusal_reasons, results
from workflows.returns_refunds.facts import RefundsFacts
from workflows.returns_refunds.rules import (
    CONFIRMATION,
    ReturnRefusal,
    order_digits,
    read_refund_answer,
    refund_idempotency_key,
    refund_refusal,
    return_refusal,
)

ASK_ORDER = "Which order would you like to return? Its number looks like 1001."

WHY: Mapping[ReturnRefusal, str] = {
    "not_shipped": "it has not shipped yet, so it is a change to the order rather than a return",
    "already_refunded": "it has already been refunded",
    "currency_not_covered": "it was paid in a currency I cannot refund automatically",
    "outside_return_window": "it shipped more than {days} days ago, outside our return window",
    "above_refund_cap": "its total is above what I can refund without a colleague",
}


def pinned(rules: ReturnsParams) -> dict[str, Any]:
    """The brand's returns terms as shown with an ask, kept in the run's facts: a yes executes on
    them unless the brand's policy at the yes refuses (a lower cap, a shorter window)."""
    return {
        "window_days": rules.window_days,
        "refund_cap": f"{rules.refund_cap:.2f}",
        "currency": rules.currency,
    }


def confirm_text(asked: Mapping[str, Any]) -> str:
    return (
        f"Please confirm: shall I refund {asked['amount']} {asked['currency']} for order {asked['order']}? "
        "Reply yes to confirm."
    )


def ask_text(asked: Mapping[str, Any], window_days: int) -> str:
    return (
        f"Order {asked['order']} can be returned: it is within our {window_days}-day return window, "
        f"so I can refund its total of {asked['amount']} {asked['currency']}. {confirm_text(asked)}"
    )


def _lookup(number: str, turn: int) -> ToolCall:
    return policy_call(GET_ORDER_FOR_RETURN.name, {"order_number": number}, turn, "lookup")


class ReturnsPolicy(ConfirmedWrite[RefundsFacts]):
    confirmation = CONFIRMATION
    writes = ISSUE_REFUND
    what = "refund"
    failed_reply = "The store did not take the refund, so nothing has been refunded."
    write_tag = "refund"

    def __init__(self, clock: Callable[[], datetime] = utc_now) -> None:
        self.clock = clock
        """The edge where time enters: the pure policy gets `now` as an argument."""

    def step(
        self, transcript: Sequence[AnyMessage], facts: RefundsFacts, turn: int, ctx: BrandContext
    ) -> Step:
        """Read the customer's answer to our ask, in code; look the named order up or refund ourselves."""
        text = customer_text(transcript)
        asked = facts.get("asked")
        naming = ctx.brand.commerce.order_name
        named = named_orders(text, naming.prefix, naming.suffix)
        if asked and asked["turn"] < turn:
            yes = self.read_yes(text, facts, turn)
            if yes is not None:
                return yes
            if read_refund_answer(text) == "no" and not named:
                return Step(facts={"declined": turn, "asked": None, "confirmed": None})
        if not named:
            return Step()
        moved = (
            {"asked": None, "confirmed": None} if asked and order_digits(asked["order"]) not in named else {}
        )
        return Step((_lookup(named[0], turn),), moved)  # a new ask: look it up first, in code

    def call_args(self, confirmed: Mapping[str, Any]) -> dict[str, Any]:
        return {"order_number": order_digits(str(confirmed["order"]))}  # the guard sets the amount

    def write_refusal(
        self, call: ToolCall, facts: RefundsFacts, turn: int, ctx: BrandContext
    ) -> Refusal | None:
        rules = ctx.brand.returns
        return refund_refusal(
            _order(call), call["args"].get("amount"), facts, turn, self.clock(),
            rules.window_days, rules.refund_cap, rules.currency,
        )  # fmt: skip

    def write_args(self, call: ToolCall, confirmed: Mapping[str, Any], ctx: BrandContext) -> dict[str, Any]:
        key = refund_idempotency_key(
            ctx.brand_id, ctx.conversation_id, confirmed["order"], confirmed["amount"]
        )
        return {
            "order_number": _order(call).lstrip("#"),
            "amount": str(confirmed["amount"]),
            "idempotency_key": key,
        }

    def written(self, result: ToolMessage, facts: RefundsFacts, turn: int, ctx: BrandContext) -> Outcome:
        refund = result.artifact["refund"]
        reply = (
            f"Done: I have refunded {refund['amount']} {refund['currency']} for order {refund['order']}. "
            "It goes back to your original payment method."
        )
        refunded = {**(facts.get("refunded") or {}), refund["order"]: {**refund, "turn": turn}}
        used = {"refunded": refunded, "asked": None, "confirmed": None}  # one confirmation, one refund
        return Outcome("resolved", reply, facts=used)

    def not_written(
        self,
        code: str | None,
        result: ToolMessage,
        confirmed: Mapping[str, Any],
        facts: RefundsFacts,
        turn: int,
        ctx: BrandContext,
    ) -> Outcome:
        """Our own confirmed refund did not go through: say why, ask again or hand off."""
        rules = ctx.brand.returns
        refusal = refund_refusal(
            str(confirmed["order"]), None, facts, turn, self.clock(),
            rules.window_days, rules.refund_cap, rules.currency,
        )  # fmt: skip
        cleared = {"asked": None, "confirmed": None}
        if refusal is not None and refusal.rule in WHY:
            why = WHY[refusal.rule].format(days=rules.window_days)  # type: ignore[index]  # checked above
            changed = confirmed.get("policy") not in (None, pinned(rules))
            since = "our returns policy changed since I asked you, and now " if changed else ""
            reply = f"I cannot refund order {confirmed['order']} myself: {since}{why}."
            return Outcome("handed_off", reply, refusal.rule, facts=cleared)
        if code in ("terms_changed", "confirmation_mismatch"):  # the live order changed: ask again
            reason = result.text.removeprefix("Error: ")
            reply = f"I have not refunded it: {reason}. Tell me the order number again if you still want a refund."
            return Outcome("waiting", reply, facts=cleared)
        return self.failed(cleared)

    def decide(
        self, transcript: Sequence[AnyMessage], facts: RefundsFacts, turn: int, ctx: BrandContext
    ) -> Outcome:
        wrote = self.decide_write(transcript, facts, turn, ctx)
        if wrote is not None:
            return wrote
        if facts.get("declined") == turn:
            return Outcome("resolved", "All right, I have not refunded anything.")
        return self._after_lookup(transcript, facts, turn, ctx) or self._fallback(transcript, facts, turn)

    def _after_lookup(
        self, transcript: Sequence[AnyMessage], facts: RefundsFacts, turn: int, ctx: BrandContext
    ) -> Outcome | None:
        found = good(results(transcript, GET_ORDER_FOR_RETURN.name))
        if not found:
            return None
        order = found[-1].artifact["order"]
        rules = ctx.brand.returns
        known = {**(facts.get("orders") or {}), order["order"]: order}
        refusal = return_refusal(order, self.clock(), rules.window_days, rules.refund_cap, rules.currency)
        if refusal is not None:
            why = WHY[refusal].format(days=rules.window_days)
            reply = f"I cannot approve a return of order {order['order']} myself: {why}."
            remembered = {
                "orders": known,
                "return": {**order, "refusal": refusal},
                "asked": None,
                "confirmed": None,
            }
            return Outcome("handed_off", reply, refusal, facts=remembered)
        asked = {**order, "amount": order["total"], "policy": pinned(rules), "turn": turn}
        remembered = {
            "orders": known,
            "return": {**order, "refusal": None},
            "asked": asked,
            "confirmed": None,
        }
        return Outcome("waiting", ask_text(asked, rules.window_days), facts=remembered)

    def _fallback(self, transcript: Sequence[AnyMessage], facts: RefundsFacts, turn: int) -> Outcome:
        """No lookup and no refund this turn: say why, or ask again what is still open."""
        lookups = results(transcript, GET_ORDER_FOR_RETURN.name)
        if any(error_code(m) == "not_found" for m in lookups):
            return Outcome("waiting", "I could not find that order. Could you check the number?")
        if errors(lookups):
            return failed_lookup(errors(lookups))
        asked = facts.get("asked")
        if asked:
            other = named_amounts(customer_text(transcript)) - {as_amount(asked["amount"])}
            note = (
                f"I can only refund the order's total, {asked['amount']} {asked['currency']}. "
                if other
                else ""
            )
            asked_again = {"asked": {**asked, "turn": turn}}  # a yes now counts in the next turn
            return Outcome("waiting", note + confirm_text(asked), facts=asked_again)
        refused = refusal_reasons(transcript, ISSUE_REFUND.name)
        if refused:
            return Outcome("waiting", f"I cannot refund anything yet: {refused[0]}. {ASK_ORDER}")
        return Outcome("waiting", final_text(transcript) or ASK_ORDER)


def _order(call: ToolCall) -> str:
    return f"#{str(call['args'].get('order_number', '')).lstrip('#')}"
