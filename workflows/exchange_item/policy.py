"""`ExchangePolicy`: items of a delivered order for other variants of the same products, at the same
price, every item collected before one bound confirmation.

Policy in code (ARCHITECTURE invariant 3), never in the prompt; the turns go:
1. the customer names an order: the code looks it up (`get_order_for_exchange`: this customer's
   orders only, with each returnable item's other variants) and decides with
   `rules.exchange_refusal`: not delivered yet, cancelled, or outside the brand's return window
   (`returns.window_days`, from the first shipment): explained and handed off, nothing written;
2. the customer's words name swaps (`rules.named_swaps`: another variant of the item's own product,
   never another product). A price difference is explained and handed off (collecting or paying
   money needs the customer's payment, never a silent charge); a sold-out variant is said and
   another asked for. Every allowed swap is collected (`facts["wanted"]`) and the one confirmation
   asks for all of them (`facts["asked"]`, with the window shown, pinned); naming another item in
   the next turn adds it and asks again;
3. a plain yes in the next turn: confirm-then-write records the confirmation and calls
   `exchange_items` itself (one GraphQL `returnCreate` with every swap), with an idempotency key
   derived from the conversation, the order and the swaps.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from langchain_core.messages import AnyMessage, ToolCall, ToolMessage

from brands.context import BrandContext
from routing.ids import named_orders
from tools.errors import error_code
from tools.exchanges import EXCHANGE_ITEMS, GET_ORDER_FOR_EXCHANGE
from workflows.exchange_item.facts import ExchangeFacts
from workflows.exchange_item.rules import (
    CONFIRMATION,
    ExchangeRefusal,
    exchange_refusal,
    idempotency_key,
    named_swaps,
    read_exchange_answer,
    swap_problem,
    write_refusal,
)
from workflows.kit.confirm import ConfirmedWrite
from workflows.kit.policy import Outcome, Refusal, Step, policy_call
from workflows.kit.subgraph import failed_lookup
from workflows.kit.transcript import customer_text, errors, good, refusal_reasons, results

ASK_ORDER = "Which order is the item from? Its number looks like 1004."

WHY: Mapping[ExchangeRefusal, str] = {
    "not_delivered": "it has not been delivered yet, so there is nothing to send back",
    "order_cancelled": "it has been cancelled",
    "outside_return_window": "it shipped more than {days} days ago, outside our return window",
}


def _swap_line(s: Mapping[str, Any]) -> str:
    return f"your {s['product']} ({s['variant_from']}) for the {s['variant']} one"


def confirm_text(asked: Mapping[str, Any]) -> str:
    swaps = "; and ".join(_swap_line(s) for s in asked["swaps"])
    return (
        f"Please confirm: shall I exchange, on order {asked['order']}, {swaps}, at the same price? "
        "You send yours back and the new one is sent to you; no money changes hands. Reply yes to "
        "confirm, or name another item of the order to exchange as well."
    )


def options_text(order: Mapping[str, Any]) -> str:
    """What each item of the order can be exchanged for."""
    lines = []
    for item in order["items"]:
        others = ", ".join(
            f"{v['title']} ({v['price']} {order['currency']}{'' if v['available'] else ', sold out'})"
            for v in item["variants"]
        )
        lines.append(
            f"your {item['product']} ({item['variant']}) for another {item['option'].lower()}: {others or 'none'}"
        )
    return "; ".join(lines)


def _lookup(number: str, turn: int) -> ToolCall:
    return policy_call(GET_ORDER_FOR_EXCHANGE.name, {"order_number": number}, turn, "lookup")


class ExchangePolicy(ConfirmedWrite[ExchangeFacts]):
    confirmation = CONFIRMATION
    writes = EXCHANGE_ITEMS
    what = "exchange"
    failed_reply = "The store did not take the exchange, so nothing has changed on your order."

    def step(
        self, transcript: Sequence[AnyMessage], facts: ExchangeFacts, turn: int, ctx: BrandContext
    ) -> Step:
        text = customer_text(transcript)
        asked = facts.get("asked")
        naming = ctx.brand.commerce.order_name
        named = named_orders(text, naming.prefix, naming.suffix)
        if asked and asked["turn"] < turn:
            yes = self.read_yes(text, facts, turn)
            if yes is not None:
                return yes
            if (
                read_exchange_answer(text) == "no"
                and not named
                and not named_swaps(text, (facts.get("order") or {}).get("items") or [])
            ):
                return Step(facts={"kept": turn, "asked": None, "confirmed": None, "wanted": []})
        order = facts.get("order")
        if named and not (order and _digits(order["order"]) == named[0]):
            return Step(
                (_lookup(named[0], turn),), {"order": None, "wanted": [], "asked": None, "confirmed": None}
            )
        return Step()

    def call_args(self, confirmed: Mapping[str, Any]) -> dict[str, Any]:
        return {"order_number": _digits(str(confirmed["order"]))}

    def write_refusal(
        self, call: ToolCall, facts: ExchangeFacts, turn: int, ctx: BrandContext
    ) -> Refusal | None:
        order = facts.get("order")
        rule = exchange_refusal(order, self.clock(), ctx.brand.returns.window_days) if order else None
        if rule is not None and order is not None:  # the brand's policy now (a shorter window) refuses
            return Refusal(
                rule, f"order {order['order']} can no longer be exchanged ({rule.replace('_', ' ')})"
            )
        number = _digits(str(call["args"].get("order_number", "")))
        confirmed = facts.get("confirmed") or {}
        name = (
            str(confirmed.get("order"))
            if _digits(str(confirmed.get("order", ""))) == number
            else f"#{number}"
        )
        return write_refusal(name, facts, turn)

    def write_args(self, call: ToolCall, confirmed: Mapping[str, Any], ctx: BrandContext) -> dict[str, Any]:
        return {
            "order_number": _digits(str(confirmed["order"])),
            "exchanges": [
                {
                    "fulfillment_line_item_id": s["fulfillment_line_item_id"],
                    "variant_id": s["variant_id"],
                    "quantity": s["quantity"],
                }
                for s in confirmed["swaps"]
            ],
            "idempotency_key": idempotency_key(ctx.brand_id, ctx.conversation_id, confirmed),
        }

    def written(self, result: ToolMessage, facts: ExchangeFacts, turn: int, ctx: BrandContext) -> Outcome:
        done = result.artifact["exchange"]
        confirmed = facts.get("confirmed") or {}
        swaps = "; and ".join(_swap_line(s) for s in confirmed.get("swaps") or [])
        reply = (
            f"Done: I have opened return {done['return']} on order {done['order']} to exchange {swaps}. "
            "The store will email you how to send yours back."
        )
        exchanged = {**(facts.get("exchanged") or {}), done["order"]: {**done, "turn": turn}}
        return Outcome(
            "resolved", reply, facts={"exchanged": exchanged, "asked": None, "confirmed": None, "wanted": []}
        )

    def not_written(
        self,
        code: str | None,
        result: ToolMessage,
        confirmed: Mapping[str, Any],
        facts: ExchangeFacts,
        turn: int,
        ctx: BrandContext,
    ) -> Outcome:
        cleared = {"asked": None, "confirmed": None, "wanted": []}
        window = ctx.brand.returns.window_days
        order = facts.get("order")
        rule = exchange_refusal(order, self.clock(), window) if order else None
        if rule is not None:
            changed = confirmed.get("window_days") not in (None, window)
            since = "our return window changed since I asked you, and now " if changed else ""
            reply = f"I cannot exchange items of order {confirmed['order']} myself: {since}{WHY[rule].format(days=window)}."
            return Outcome("handed_off", reply, rule, facts=cleared)
        if code in ("terms_changed", "confirmation_mismatch"):
            reason = result.text.removeprefix("Error: ")
            reply = f"I have not exchanged anything: {reason}. Tell me the order number again to start over."
            return Outcome("waiting", reply, facts={**cleared, "order": None})
        return self.failed(cleared)

    def decide(
        self, transcript: Sequence[AnyMessage], facts: ExchangeFacts, turn: int, ctx: BrandContext
    ) -> Outcome:
        wrote = self.decide_write(transcript, facts, turn, ctx)
        if wrote is not None:
            return wrote
        if facts.get("kept") == turn:
            return Outcome("resolved", "All right, I have not exchanged anything.")
        looked = good(results(transcript, GET_ORDER_FOR_EXCHANGE.name))
        order = looked[-1].artifact["order"] if looked else facts.get("order")
        if order is None:
            return self._fallback(transcript, facts, turn)
        window = ctx.brand.returns.window_days
        if looked:
            rule = exchange_refusal(order, self.clock(), window)
            if rule is not None:
                reply = f"I cannot exchange items of order {order['order']} myself: {WHY[rule].format(days=window)}."
                return Outcome("handed_off", reply, rule, facts={"order": None, "asked": None, "wanted": []})
        return self._collect(customer_text(transcript), order, facts, turn, window)

    def _collect(
        self, text: str, order: Mapping[str, Any], facts: ExchangeFacts, turn: int, window: int
    ) -> Outcome:
        """Add the swaps this message names; explain what cannot be swapped; ask for all of them."""
        wanted = list(facts.get("wanted") or [])
        kept = {"order": dict(order)}
        for swap in named_swaps(text, order["items"]):
            problem = swap_problem(swap)
            if problem == "price_difference":
                reply = (
                    f"The {swap['variant']} {swap['product']} costs {swap['price']} {order['currency']}, not "
                    f"{swap['price_from']} {order['currency']} like yours, and I can only exchange items at the same "
                    "price: a difference needs your payment or a refund, which a colleague arranges with you."
                )
                return Outcome(
                    "handed_off", reply, "price_difference", facts={**kept, "asked": None, "wanted": []}
                )
            if problem == "sold_out":
                reply = f"The {swap['variant']} {swap['product']} is sold out right now. You can choose: {options_text(order)}."
                return Outcome("waiting", reply, facts={**kept, "wanted": wanted, "asked": None})
            wanted = [
                w for w in wanted if w["fulfillment_line_item_id"] != swap["fulfillment_line_item_id"]
            ] + [swap]
        if not wanted:
            reply = (
                f"Order {order['order']} was delivered, so I can exchange an item for another colour or size of the "
                f"same product, at the same price: {options_text(order)}. Which would you like?"
            )
            return Outcome("waiting", reply, facts={**kept, "wanted": [], "asked": None})
        asked = {
            "order": order["order"],
            "currency": order["currency"],
            "swaps": wanted,
            "window_days": window,
            "turn": turn,
        }
        return Outcome(
            "waiting",
            confirm_text(asked),
            facts={**kept, "wanted": wanted, "asked": asked, "confirmed": None},
        )

    def _fallback(self, transcript: Sequence[AnyMessage], facts: ExchangeFacts, turn: int) -> Outcome:
        failed = errors(results(transcript))
        if any(error_code(m) == "not_found" for m in failed):
            return Outcome("waiting", "I could not find that order. Could you check the number?")
        if [m for m in failed if error_code(m) != "policy_refused"]:
            return failed_lookup([m for m in failed if error_code(m) != "policy_refused"])
        refused = refusal_reasons(transcript, EXCHANGE_ITEMS.name)
        if refused:
            return Outcome("waiting", f"I cannot exchange anything yet: {refused[0]}. {ASK_ORDER}")
        return Outcome("waiting", ASK_ORDER)


def _digits(order: str) -> str:
    return "".join(c for c in order if c.isdigit()) or order
