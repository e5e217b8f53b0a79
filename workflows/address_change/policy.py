"""`AddressPolicy`: change an order's shipping address, only before it ships, after a bound confirmation.

Policy in code (ARCHITECTURE invariant 3), never in the prompt; the turns go:
1. the customer names an order: the code looks it up (`get_order_address`, this customer's orders
   only). Shipped, partly shipped or cancelled: no write; the reply says so and the intent is
   handed off with that reason (`already_fulfilled`, ...) so a person can help with the carrier.
   Not shipped: the order is recorded (`facts["order"]`) and the reply asks for the new address;
2. the customer writes the new address: the code reads a one-line address itself, or the model
   proposes structured fields (`propose_shipping_address`); either way every field must appear in
   the customer's own messages (`rules.address_refusal`), never in tool data. The reply
   asks to confirm this order at this address (`facts["asked"]`);
3. a later turn says yes: confirm-then-write (`workflows.kit.confirm`) records the confirmation
   (bound to the asked order and address) and calls the write itself, with an Idempotency-Key derived from brand, conversation, order and
   address. Another address or order in the answer needs a new confirmation.

Every write call, the model's or the code's, passes the guard (`rules.write_refusal`): a refused precondition
is an error result the model sees, counted in `facts["policy_refusals"]` and in the
`support_policy_refusals` metric (by rule), and logged.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from langchain_core.messages import AnyMessage, ToolCall, ToolMessage

from brands.context import BrandContext
from routing.ids import named_orders
from tools.addresses import GET_ORDER_ADDRESS, PROPOSE_SHIPPING_ADDRESS, UPDATE_SHIPPING_ADDRESS, one_line
from tools.errors import error_code
from workflows.address_change.facts import AddressFacts
from workflows.address_change.rules import (
    CONFIRMATION,
    FulfilmentRule,
    address_refusal,
    fulfilment_refusal,
    idempotency_key,
    read_address,
    read_change_answer,
    write_refusal,
)
from workflows.kit.confirm import ConfirmedWrite
from workflows.kit.policy import Outcome, Refusal, Step, policy_call
from workflows.kit.subgraph import failed_lookup
from workflows.kit.transcript import customer_text, errors, good, refusal_reasons, results

ASK_ORDER = "Which order should I change the shipping address of? Its number looks like 1002."
ASK_ADDRESS = "What is the new address (street, city, state and ZIP)?"
MEMORY = 6
"""Customer messages kept in the run's facts for the address check (the transcript is bounded)."""

WHY: Mapping[FulfilmentRule, str] = {
    "already_fulfilled": "it has already shipped",
    "partially_fulfilled": "part of it has already shipped",
    "order_cancelled": "it has been cancelled",
}


def shown(order: Mapping[str, Any]) -> str:
    """The order as the store names it ("#1002"; a term recorded before names were kept: "#" + number)."""
    return str(order.get("order_name") or f"#{order['order_number']}")


def confirm_text(asked: Mapping[str, Any]) -> str:
    return (
        f"Please confirm: shall I change the shipping address of order {shown(asked)} to "
        f"{one_line(asked['address'])}? Reply yes to change it."
    )


def _with_country(address: Mapping[str, str], order: Mapping[str, Any]) -> dict[str, str]:
    """The address to confirm: a country the customer did not write stays the order's."""
    country = address.get("country_code") or order["shipping_address"].get("country_code", "")
    return {**address, "country_code": country} if country else dict(address)


class AddressPolicy(ConfirmedWrite[AddressFacts]):
    confirmation = CONFIRMATION
    writes = UPDATE_SHIPPING_ADDRESS
    what = "address change"
    failed_reply = "The store did not take the address change, so the order still ships to the old address."

    def step(
        self, transcript: Sequence[AnyMessage], facts: AddressFacts, turn: int, ctx: BrandContext
    ) -> Step:
        """Remember what the customer wrote; read a confirmation, an order and an address in code."""
        text = customer_text(transcript)
        said = {"customer_said": [*facts.get("customer_said", []), text][-MEMORY:]}
        yes = self.read_yes(text, facts, turn)
        if yes is not None:
            return Step(yes.calls, {**said, **yes.facts})
        address = read_address(text)
        naming = ctx.brand.commerce.order_name
        orders = named_orders(text, naming.prefix, naming.suffix)
        if facts.get("asked") and read_change_answer(text) == "no" and address is None and not orders:
            return Step(facts={**said, "kept": turn})
        calls = []
        if orders:
            calls.append(policy_call(GET_ORDER_ADDRESS.name, {"order_number": orders[0]}, turn))
        if address is not None:
            calls.append(policy_call(PROPOSE_SHIPPING_ADDRESS.name, address, turn))
        return Step(tuple(calls), said)

    def guard(self, call: ToolCall, facts: AddressFacts, turn: int, ctx: BrandContext) -> ToolCall | Refusal:
        if call["name"] == PROPOSE_SHIPPING_ADDRESS.name:
            return address_refusal(call["args"], facts.get("customer_said", [])) or call
        return super().guard(call, facts, turn, ctx)

    def call_args(self, confirmed: Mapping[str, Any]) -> dict[str, Any]:
        return {"order_number": confirmed["order_number"]}

    def write_refusal(
        self, call: ToolCall, facts: AddressFacts, turn: int, ctx: BrandContext
    ) -> Refusal | None:
        del ctx
        return write_refusal(_order_number(call), facts, turn)

    def write_args(self, call: ToolCall, confirmed: Mapping[str, Any], ctx: BrandContext) -> dict[str, Any]:
        key = idempotency_key(
            ctx.brand_id, ctx.conversation_id, confirmed["order_id"], confirmed["address"], confirmed["turn"]
        )
        return {
            "order_number": _order_number(call),
            "order_id": str(confirmed["order_id"]),
            "address": dict(confirmed["address"]),
            "idempotency_key": key,
        }

    def written(self, result: ToolMessage, facts: AddressFacts, turn: int, ctx: BrandContext) -> Outcome:
        order = result.artifact["order"]
        reply = f"Done: order {shown(order)} will now ship to {one_line(order['shipping_address'])}."
        changed = {
            "order": order,
            "changed": {**(facts.get("confirmed") or {})},
            "asked": None,
            "confirmed": None,
        }
        return Outcome("resolved", reply, facts=changed)

    def not_written(
        self,
        code: str | None,
        result: ToolMessage,
        confirmed: Mapping[str, Any],
        facts: AddressFacts,
        turn: int,
        ctx: BrandContext,
    ) -> Outcome:
        if code == "already_fulfilled":  # it shipped between the ask and the yes
            reason = result.text.removeprefix("Error: ")
            return Outcome(
                "handed_off",
                f"I have not changed the address: {reason}.",
                "already_fulfilled",
                facts={"asked": None, "confirmed": None},
            )
        return self.failed()

    def decide(
        self, transcript: Sequence[AnyMessage], facts: AddressFacts, turn: int, ctx: BrandContext
    ) -> Outcome:
        wrote = self.decide_write(transcript, facts, turn, ctx)
        if wrote is not None:
            return wrote
        asked, order = facts.get("asked"), facts.get("order")
        if facts.get("kept") == turn and asked and order:
            return Outcome(
                "resolved",
                f"All right, I have not changed anything: order {shown(asked)} still ships to "
                f"{one_line(order['shipping_address'])}.",
                facts={"asked": None},
            )
        return self._after_lookup(transcript, facts, turn) or self._fallback(transcript, facts, turn)

    def _after_lookup(
        self, transcript: Sequence[AnyMessage], facts: AddressFacts, turn: int
    ) -> Outcome | None:
        found = good(results(transcript, GET_ORDER_ADDRESS.name))
        if not found:
            return None
        order = found[-1].artifact["order"]
        rule = fulfilment_refusal(order)
        if rule is not None:
            reply = f"Order {shown(order)} cannot get a new address any more: {WHY[rule]}."
            return Outcome("handed_off", reply, rule, facts={"order": None, "asked": None, "confirmed": None})
        fresh = {"order": order, "asked": None, "confirmed": None}
        proposal = self._proposal(transcript) or facts.get("proposal")
        if proposal:
            return self._ask(order, proposal, turn, fresh)
        reply = (
            f"Order {shown(order)} has not shipped yet, so I can still change where it goes. "
            f"It is set to ship to {one_line(order['shipping_address'])}. {ASK_ADDRESS}"
        )
        return Outcome("waiting", reply, facts=fresh)

    @staticmethod
    def _proposal(transcript: Sequence[AnyMessage]) -> dict[str, str] | None:
        proposed = good(results(transcript, PROPOSE_SHIPPING_ADDRESS.name))
        return dict(proposed[-1].artifact["address"]) if proposed else None

    @staticmethod
    def _ask(
        order: Mapping[str, Any], proposal: Mapping[str, str], turn: int, extra: Mapping[str, Any]
    ) -> Outcome:
        asked = {
            "order_id": order["order_id"],
            "order_number": order["order_number"],
            "order_name": order.get("order_name"),
            "address": _with_country(proposal, order),
            "turn": turn,
        }
        return Outcome("waiting", confirm_text(asked), facts={**extra, "asked": asked, "proposal": None})

    def _fallback(self, transcript: Sequence[AnyMessage], facts: AddressFacts, turn: int) -> Outcome:
        """No lookup and no write this turn: a proposal to confirm, a refusal to explain, or what is open."""
        order, asked = facts.get("order"), facts.get("asked")
        proposal = self._proposal(transcript)
        if proposal and order:
            return self._ask(order, proposal, turn, {"confirmed": None})
        if proposal:
            return Outcome("waiting", ASK_ORDER, facts={"proposal": proposal})
        failed = errors(results(transcript))
        refused = refusal_reasons(transcript)
        if any(error_code(m) == "not_found" for m in failed):
            forget = {"order": None, "asked": None, "confirmed": None}  # not this customer's: start over
            return Outcome(
                "waiting", "I could not find that order. Could you check the number?", facts=forget
            )
        if [m for m in failed if error_code(m) != "policy_refused"]:
            return failed_lookup([m for m in failed if error_code(m) != "policy_refused"])
        still = confirm_text(asked) if asked else ASK_ADDRESS if order else ASK_ORDER
        asked_again = {"asked": {**asked, "turn": turn}} if asked else {}  # a yes now counts next turn
        if refused:
            return Outcome(
                "waiting", f"I have not changed anything: {refused[0]}. {still}", facts=asked_again
            )
        return Outcome("waiting", still, facts=asked_again)


def _order_number(call: ToolCall) -> str:
    return str(call["args"].get("order_number", "")).lstrip("#")
