"""`CancelOrderPolicy`: cancel an order while nothing of it has shipped, after a bound confirmation.

Policy in code (ARCHITECTURE invariant 3), never in the prompt; the turns go:
1. the customer names an order: the code looks it up (`get_order_for_cancel`, this customer's
   orders only) and decides with `rules.cancel_refusal`. Shipped (in whole or in part): nothing is
   written; the reply says so and offers a return where the brand's returns policy allows one
   (resolved), else hands the intent off (`already_fulfilled`). Cancelled: said, resolved. Not
   shipped: the reply states the order, its items and the full refund, and asks to confirm with the
   reason in the same question (`facts["asked"]`). An ask naming no order ("cancel it") looks up
   what the customer could mean (`find_cancellable`): one open order is looked up; an open order
   and an active subscription, or several orders, are asked about (`workflows.kit.cancellable`).
   The confirmation is asked only when the customer's own words ask to cancel (or answer our
   question which): an ask routed here without them is told whether the order can be cancelled,
   and nothing is asked, so a yes meant for another question cannot cancel an order;
2. a plain yes in the next turn, naming no other order: confirm-then-write (`workflows.kit.confirm`)
   records the confirmation, with the reason read from the yes or from earlier
   (`rules.read_reason`, Shopify's enum, `customer` when none was given), and calls `cancel_order`
   itself, with an idempotency key derived from the conversation, the order and its total.

Every `cancel_order` call, the model's or the code's, passes the guard (`rules.write_refusal`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from langchain_core.messages import AnyMessage, ToolCall, ToolMessage

from brands.context import BrandContext
from routing.ids import named_orders, named_subscriptions
from tools.errors import error_code
from tools.order_cancel import CANCEL_ORDER, FIND_CANCELLABLE, GET_ORDER_FOR_CANCEL
from workflows.cancel_order.facts import CancelOrderFacts
from workflows.cancel_order.rules import (
    CONFIRMATION,
    CancelRefusal,
    cancel_refusal,
    idempotency_key,
    read_cancel_answer,
    read_reason,
    write_refusal,
)
from workflows.kit.answers import CANCEL
from workflows.kit.cancellable import NOTHING_TO_CANCEL, choices, nothing_to_cancel, which_text
from workflows.kit.confirm import ConfirmedWrite
from workflows.kit.policy import Outcome, Refusal, Step, policy_call
from workflows.kit.subgraph import failed_lookup
from workflows.kit.transcript import customer_text, errors, good, refusal_reasons, results
from workflows.returns_refunds.rules import return_refusal

ASK_ORDER = "Which order would you like to cancel? Its number looks like 1002."
REASONS_SHOWN = "changed your mind, ordered by mistake, found it elsewhere"

WHY: Mapping[CancelRefusal, str] = {
    "already_fulfilled": "it has already shipped",
    "partially_fulfilled": "part of it has already shipped",
    "order_cancelled": "it has already been cancelled",
}


def confirm_text(asked: Mapping[str, Any]) -> str:
    return (
        f"Please confirm: shall I cancel order {asked['order']} and refund {asked['total']} {asked['currency']}? "
        f"Reply yes to cancel it, and tell me why if you like ({REASONS_SHOWN})."
    )


def ask_text(asked: Mapping[str, Any]) -> str:
    items = ", ".join(asked["items"]) or "its items"
    return (
        f"Order {asked['order']} ({items}) has not shipped yet, so I can cancel it and refund its total "
        f"of {asked['total']} {asked['currency']} in full. {confirm_text(asked)}"
    )


def _lookup(number: str, turn: int) -> ToolCall:
    return policy_call(GET_ORDER_FOR_CANCEL.name, {"order_number": number}, turn, "lookup")


class CancelOrderPolicy(ConfirmedWrite[CancelOrderFacts]):
    confirmation = CONFIRMATION
    writes = CANCEL_ORDER
    what = "cancellation"
    failed_reply = "The store did not take the cancellation, so your order is unchanged."

    def step(
        self, transcript: Sequence[AnyMessage], facts: CancelOrderFacts, turn: int, ctx: BrandContext
    ) -> Step:
        text = customer_text(transcript)
        asked = facts.get("asked")
        naming = ctx.brand.commerce.order_name
        named = named_orders(text, naming.prefix, naming.suffix)
        said = read_reason(text)
        remembered: dict[str, Any] = {"reason": said} if said else {}
        if asked and asked["turn"] < turn:
            yes = self.read_yes(text, facts, turn)
            if yes is not None:
                confirmed = {**yes.facts["confirmed"], "reason": said or asked["reason"]}
                return Step(yes.calls, {"confirmed": confirmed})
            if read_cancel_answer(text) == "no" and not named:
                return Step(facts={"kept": turn, "asked": None, "confirmed": None})
        if facts.get("choices") and not named and not named_subscriptions(text):
            if read_cancel_answer(text) == "no":  # neither, after all
                return Step(facts={"choices": None, "kept": turn})
        if CANCEL.search(text) or facts.get("choices"):  # the customer asks to cancel (or chose what)
            remembered["wants_cancel"] = turn
        if named:
            moved = (
                {"asked": None, "confirmed": None, "choices": None} if asked or facts.get("choices") else {}
            )
            return Step((_lookup(named[0], turn),), {**moved, **remembered})
        if facts.get("choices") and named_subscriptions(text):  # the customer chose the subscription
            return Step(facts={"choices": None, "other_chosen": turn})
        if not asked and not named_subscriptions(text) and remembered.get("wants_cancel") == turn:
            return Step((policy_call(FIND_CANCELLABLE.name, {}, turn, "find"),), remembered)
        return Step(facts=remembered)

    def call_args(self, confirmed: Mapping[str, Any]) -> dict[str, Any]:
        return {"order_number": _digits(str(confirmed["order"]))}

    def write_refusal(
        self, call: ToolCall, facts: CancelOrderFacts, turn: int, ctx: BrandContext
    ) -> Refusal | None:
        return write_refusal(_name(call, facts), facts, turn)

    def write_args(self, call: ToolCall, confirmed: Mapping[str, Any], ctx: BrandContext) -> dict[str, Any]:
        return {
            "order_number": _digits(str(confirmed["order"])),
            "reason": str(confirmed.get("reason") or "customer"),
            "confirmed_total": str(confirmed["total"]),
            "idempotency_key": idempotency_key(ctx.brand_id, ctx.conversation_id, confirmed),
        }

    def written(self, result: ToolMessage, facts: CancelOrderFacts, turn: int, ctx: BrandContext) -> Outcome:
        done = result.artifact["cancelled"]
        reply = (
            f"Done: order {done['order']} is cancelled and {done['refunded']} {done['currency']} is refunded "
            "to your original payment method. You will get an email from the store."
        )
        cancelled = {**(facts.get("cancelled") or {}), done["order"]: {**done, "turn": turn}}
        return Outcome("resolved", reply, facts={"cancelled": cancelled, "asked": None, "confirmed": None})

    def not_written(
        self,
        code: str | None,
        result: ToolMessage,
        confirmed: Mapping[str, Any],
        facts: CancelOrderFacts,
        turn: int,
        ctx: BrandContext,
    ) -> Outcome:
        cleared = {"asked": None, "confirmed": None}
        reason = result.text.removeprefix("Error: ")
        if code == "already_fulfilled":  # it shipped between the ask and the yes
            return Outcome(
                "handed_off", f"I have not cancelled it: {reason}.", "already_fulfilled", facts=cleared
            )
        if code in ("terms_changed", "confirmation_mismatch"):
            reply = f"I have not cancelled it: {reason}. Tell me the order number again if you still want it cancelled."
            return Outcome("waiting", reply, facts=cleared)
        return self.failed(cleared)

    def decide(
        self, transcript: Sequence[AnyMessage], facts: CancelOrderFacts, turn: int, ctx: BrandContext
    ) -> Outcome:
        wrote = self.decide_write(transcript, facts, turn, ctx)
        if wrote is not None:
            return wrote
        if facts.get("other_chosen") == turn:
            return Outcome("resolved", "All right: your orders stay as they are.")
        if facts.get("kept") == turn:
            return Outcome("resolved", "All right, I have not cancelled anything: your order stays as it is.")
        return (
            self._after_lookup(transcript, facts, turn, ctx)
            or self._after_find(transcript, facts, turn)
            or self._fallback(transcript, facts, turn)
        )

    def _after_lookup(
        self, transcript: Sequence[AnyMessage], facts: CancelOrderFacts, turn: int, ctx: BrandContext
    ) -> Outcome | None:
        found = good(results(transcript, GET_ORDER_FOR_CANCEL.name))
        if not found:
            return None
        order = found[-1].artifact["order"]
        known = {**(facts.get("orders") or {}), order["order"]: order}
        rule = cancel_refusal(order)
        if rule == "order_cancelled":
            return Outcome(
                "resolved",
                f"Order {order['order']} is already cancelled, so there is nothing to cancel.",
                facts={"orders": known, "asked": None},
            )
        if rule is not None:
            return self._shipped(order, rule, known, ctx)
        if facts.get("wants_cancel") != turn:
            # routed here, but the customer did not ask to cancel: say what is true, ask nothing
            reply = (
                f"Order {order['order']} has not shipped yet, so it can still be cancelled if you wish: "
                "just ask me to cancel it."
            )
            return Outcome("resolved", reply, facts={"orders": known})
        asked = {**{k: order[k] for k in ("order", "order_id", "total", "currency", "items")}}
        asked |= {"reason": facts.get("reason") or "customer", "turn": turn}
        return Outcome(
            "waiting",
            ask_text(asked),
            facts={"orders": known, "asked": asked, "confirmed": None, "choices": None},
        )

    def _shipped(
        self, order: Mapping[str, Any], rule: CancelRefusal, known: Mapping[str, Any], ctx: BrandContext
    ) -> Outcome:
        """A shipped order is not cancelled: a return is offered where the returns policy allows it."""
        said = f"Order {order['order']} can no longer be cancelled: {WHY[rule]}."
        forget = {"orders": dict(known), "asked": None, "confirmed": None}
        returns = ctx.brand.returns
        facts = {**order, "shipped_at": order.get("shipped_at")}
        if (
            "returns_refunds" in ctx.brand.workflows
            and return_refusal(facts, self.clock(), returns.window_days, returns.refund_cap, returns.currency)
            is None
        ):
            offer = (
                f" You can return it instead: it is within our {returns.window_days}-day return window, "
                f"so I can refund its total of {order['total']} {order['currency']} once you send it back. "
                f"Just ask me to return order {order['order']}."
            )
            return Outcome("resolved", said + offer, facts=forget)
        return Outcome("handed_off", said, rule, facts=forget)

    def _after_find(
        self, transcript: Sequence[AnyMessage], facts: CancelOrderFacts, turn: int
    ) -> Outcome | None:
        found = good(results(transcript, FIND_CANCELLABLE.name))
        if not found:
            return None
        orders, subs = found[-1].artifact["orders"], found[-1].artifact["subscriptions"]
        if nothing_to_cancel("cancel_order", customer_text(transcript), orders, subs):
            return Outcome("waiting", NOTHING_TO_CANCEL)  # a shipped order's number may follow
        if not orders:
            return Outcome("waiting", f"I cannot see an order of yours that has not shipped. {ASK_ORDER}")
        if len(orders) + len(subs) > 1:
            return Outcome(
                "waiting", which_text(orders, subs), facts={"choices": choices(orders, subs, turn)}
            )
        order = orders[0]
        asked = {**{k: order[k] for k in ("order", "order_id", "total", "currency", "items")}}
        asked |= {"reason": facts.get("reason") or "customer", "turn": turn}
        known = {**(facts.get("orders") or {}), order["order"]: order}
        return Outcome("waiting", ask_text(asked), facts={"orders": known, "asked": asked, "confirmed": None})

    def _fallback(self, transcript: Sequence[AnyMessage], facts: CancelOrderFacts, turn: int) -> Outcome:
        failed = errors(results(transcript))
        if any(error_code(m) == "not_found" for m in failed):
            return Outcome(
                "waiting", "I could not find that order. Could you check the number?", facts={"asked": None}
            )
        if [m for m in failed if error_code(m) != "policy_refused"]:
            return failed_lookup([m for m in failed if error_code(m) != "policy_refused"])
        asked = facts.get("asked")
        refused = refusal_reasons(transcript, CANCEL_ORDER.name)
        if asked:
            note = f"I have not cancelled anything: {refused[0]}. " if refused else ""
            return Outcome("waiting", note + confirm_text(asked), facts={"asked": {**asked, "turn": turn}})
        if refused:
            return Outcome("waiting", f"I cannot cancel anything yet: {refused[0]}. {ASK_ORDER}")
        if facts.get("wants_cancel") != turn:  # routed here without a word of cancelling: ask nothing
            return Outcome(
                "resolved", "If you would like to cancel an order that has not shipped, tell me its number."
            )
        return Outcome("waiting", ASK_ORDER)


def _digits(order: str) -> str:
    return "".join(c for c in order if c.isdigit()) or order


def _name(call: ToolCall, facts: CancelOrderFacts) -> str:
    """The order's name as we recorded it, for the number the call names."""
    number = _digits(str(call["args"].get("order_number", "")))
    known = list((facts.get("orders") or {}).keys())
    return next((name for name in known if _digits(name) == number), f"#{number}")
