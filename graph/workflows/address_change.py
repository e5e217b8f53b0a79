"""`address_change`: change an order's shipping address, only before it ships, after a bound confirmation.

Policy in code (ARCHITECTURE invariant 3), never in the prompt; the turns go:
1. the customer names an order: the code looks it up (`get_order_address`, this customer's orders
   only). Shipped, partly shipped or cancelled: no write; the reply says so and the intent is
   handed off with that reason (`already_fulfilled`, ...) so a person can help with the carrier.
   Not shipped: the order is recorded (`facts["order"]`) and the reply asks for the new address;
2. the customer writes the new address: the code reads a one-line address itself, or the model
   proposes structured fields (`propose_shipping_address`); either way every field must appear in
   the customer's own messages (`address_policy.address_refusal`), never in tool data. The reply
   asks to confirm this order at this address (`facts["asked"]`);
3. a later turn says yes: the code records the confirmation (bound to the asked order and address)
   and calls the write itself, with an Idempotency-Key derived from brand, conversation, order and
   address. Another address or order in the answer needs a new confirmation.

Every write call, the model's or the code's, passes `AddressPolicy.guard`: a refused precondition
is an error result the model sees, counted in `facts["policy_refusals"]` and in the
`support_policy_refusals` metric (by rule), and logged.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from langchain_core.messages import AnyMessage, HumanMessage, ToolCall, ToolMessage

from brands.context import BrandContext
from graph.workflows.address_policy import (
    FulfilmentRule,
    address_refusal,
    bare_order_number,
    confirms,
    fulfilment_refusal,
    idempotency_key,
    named_orders,
    read_address,
    write_refusal,
)
from graph.workflows.base import (
    LOOKUP_FAILED,
    REFUSED,
    Outcome,
    Policy,
    Step,
    WorkflowSpec,
    build_workflow,
    refusal_reasons,
    this_turn,
)
from graph.workflows.policy import Refusal, read_change_answer
from tools.addresses import GET_ORDER_ADDRESS, PROPOSE_SHIPPING_ADDRESS, UPDATE_SHIPPING_ADDRESS, one_line

INSTRUCTIONS = """You are the shipping-address workflow of a customer-support team.
- Look the order up with get_order_address before saying anything about it.
- If you do not have an order number, ask the customer for it.
- When the customer writes a new address, pass it to propose_shipping_address exactly as they wrote it;
  never take an address from an order, a note or any other data.
- Never say an address is changed unless update_shipping_address succeeded: the change needs an
  unshipped order and the customer's confirmation, and the system enforces both."""

ASK_ORDER = "Which order should I change the shipping address of? Its number looks like 1002."
ASK_ADDRESS = "What is the new address (street, city, state and ZIP)?"
MEMORY = 6
"""Customer messages kept in the run's facts for the address check (the transcript is bounded)."""

WHY: Mapping[FulfilmentRule, str] = {
    "already_fulfilled": "it has already shipped",
    "partially_fulfilled": "part of it has already shipped",
    "order_cancelled": "it has been cancelled",
}


def customer_text(transcript: Sequence[AnyMessage]) -> str:
    for message in reversed(transcript):
        if isinstance(message, HumanMessage):
            return message.text
    return ""


def confirm_text(asked: Mapping[str, Any]) -> str:
    return (
        f"Please confirm: shall I change the shipping address of order #{asked['order_number']} to "
        f"{one_line(asked['address'])}? Reply yes to change it."
    )


def _call(name: str, args: Mapping[str, Any], turn: int) -> ToolCall:
    return ToolCall(name=name, args=dict(args), id=f"policy-{turn}-{name}", type="tool_call")


def _results(transcript: Sequence[AnyMessage], name: str) -> list[ToolMessage]:
    return [m for m in this_turn(transcript) if isinstance(m, ToolMessage) and m.name == name]


def _good(messages: Sequence[ToolMessage]) -> list[ToolMessage]:
    return [m for m in messages if m.status != "error"]


def _with_country(address: Mapping[str, str], order: Mapping[str, Any]) -> dict[str, str]:
    """The address to confirm: a country the customer did not write stays the order's."""
    country = address.get("country_code") or order["shipping_address"].get("country_code", "")
    return {**address, "country_code": country} if country else dict(address)


class AddressPolicy(Policy):
    def step(
        self, transcript: Sequence[AnyMessage], facts: Mapping[str, Any], turn: int, ctx: BrandContext
    ) -> Step:
        """Remember what the customer wrote; read a confirmation, an order and an address in code."""
        del ctx
        text = customer_text(transcript)
        said = {"customer_said": [*facts.get("customer_said", []), text][-MEMORY:]}
        asked = facts.get("asked")
        if asked and confirms(text, asked, turn):
            confirmed = {**asked, "turn": turn}
            call = _call(UPDATE_SHIPPING_ADDRESS.name, {"order_number": asked["order_number"]}, turn)
            return Step((call,), {**said, "confirmed": confirmed})
        address = read_address(text)
        bare = bare_order_number(text)
        orders = named_orders(text) or ([bare] if bare else [])
        if asked and read_change_answer(text) == "no" and address is None and not orders:
            return Step(facts={**said, "kept": turn})
        calls = []
        if orders:
            calls.append(_call(GET_ORDER_ADDRESS.name, {"order_number": orders[0]}, turn))
        if address is not None:
            calls.append(_call(PROPOSE_SHIPPING_ADDRESS.name, address, turn))
        return Step(tuple(calls), said)

    def guard(
        self, call: ToolCall, facts: Mapping[str, Any], turn: int, ctx: BrandContext
    ) -> ToolCall | Refusal:
        if call["name"] == PROPOSE_SHIPPING_ADDRESS.name:
            return address_refusal(call["args"], facts.get("customer_said", [])) or call
        if call["name"] != UPDATE_SHIPPING_ADDRESS.name:
            return call
        order_number = str(call["args"].get("order_number", "")).lstrip("#")
        refusal = write_refusal(order_number, facts, turn)
        if refusal is not None:
            return refusal
        confirmed = facts["confirmed"]
        args = {
            "order_number": order_number,
            "order_id": str(confirmed["order_id"]),
            "address": dict(confirmed["address"]),
            "idempotency_key": idempotency_key(
                ctx.brand_id,
                ctx.conversation_id,
                confirmed["order_id"],
                confirmed["address"],
                confirmed["turn"],
            ),
        }  # set in code: whatever hidden values the model sent are overwritten
        return ToolCall(name=call["name"], args=args, id=call["id"], type="tool_call")

    def decide(
        self, transcript: Sequence[AnyMessage], facts: Mapping[str, Any], turn: int, ctx: BrandContext
    ) -> Outcome:
        del ctx
        writes = _results(transcript, UPDATE_SHIPPING_ADDRESS.name)
        done = _good(writes)
        if done:
            order = done[0].artifact["order"]
            reply = f"Done: order #{order['order_number']} will now ship to {one_line(order['shipping_address'])}."
            changed = {"order": order, "changed": {**facts["confirmed"]}, "asked": None, "confirmed": None}
            return Outcome("resolved", reply, facts=changed)
        confirmed = facts.get("confirmed")
        if confirmed and int(confirmed["turn"]) == turn and writes:
            reason = writes[0].text.removeprefix("Error: ")
            if "already shipped" in reason:  # it shipped between the ask and the yes
                return Outcome(
                    "handed_off",
                    f"I have not changed the address: {reason}. I have passed this to a colleague, who will reply here.",
                    "already_fulfilled",
                    facts={"asked": None, "confirmed": None},
                )
            return Outcome(
                "handed_off",
                "I could not change the address right now, so I have passed it to a colleague, who will reply here.",
                "tool_failed",
                facts={"confirmed": None},
            )
        if facts.get("kept") == turn:
            asked = facts["asked"]
            return Outcome(
                "resolved",
                f"All right, I have not changed anything: order #{asked['order_number']} still ships to "
                f"{one_line(facts['order']['shipping_address'])}.",
                facts={"asked": None},
            )
        return self._after_lookup(transcript, facts, turn) or self._fallback(transcript, facts, turn)

    def _after_lookup(
        self, transcript: Sequence[AnyMessage], facts: Mapping[str, Any], turn: int
    ) -> Outcome | None:
        found = _good(_results(transcript, GET_ORDER_ADDRESS.name))
        if not found:
            return None
        order = found[-1].artifact["order"]
        rule = fulfilment_refusal(order)
        if rule is not None:
            reply = (
                f"Order #{order['order_number']} cannot get a new address any more: {WHY[rule]}. "
                "I have passed this to a colleague, who can check with the carrier and will reply here."
            )
            return Outcome("handed_off", reply, rule, facts={"order": None, "asked": None, "confirmed": None})
        fresh = {"order": order, "asked": None, "confirmed": None}
        proposal = self._proposal(transcript) or facts.get("proposal")
        if proposal:
            return self._ask(order, proposal, turn, fresh)
        reply = (
            f"Order #{order['order_number']} has not shipped yet, so I can still change where it goes. "
            f"It is set to ship to {one_line(order['shipping_address'])}. {ASK_ADDRESS}"
        )
        return Outcome("waiting", reply, facts=fresh)

    @staticmethod
    def _proposal(transcript: Sequence[AnyMessage]) -> dict[str, str] | None:
        proposed = _good(_results(transcript, PROPOSE_SHIPPING_ADDRESS.name))
        return dict(proposed[-1].artifact["address"]) if proposed else None

    @staticmethod
    def _ask(
        order: Mapping[str, Any], proposal: Mapping[str, str], turn: int, extra: Mapping[str, Any]
    ) -> Outcome:
        asked = {
            "order_id": order["order_id"],
            "order_number": order["order_number"],
            "address": _with_country(proposal, order),
            "turn": turn,
        }
        return Outcome("waiting", confirm_text(asked), facts={**extra, "asked": asked, "proposal": None})

    def _fallback(self, transcript: Sequence[AnyMessage], facts: Mapping[str, Any], turn: int) -> Outcome:
        """No lookup and no write this turn: a proposal to confirm, a refusal to explain, or what is open."""
        order, asked = facts.get("order"), facts.get("asked")
        proposal = self._proposal(transcript)
        if proposal and order:
            return self._ask(order, proposal, turn, {"confirmed": None})
        if proposal:
            return Outcome("waiting", ASK_ORDER, facts={"proposal": proposal})
        errors = [m for m in this_turn(transcript) if isinstance(m, ToolMessage) and m.status == "error"]
        refused = refusal_reasons(transcript)
        if any("not found" in m.text for m in errors):
            forget = {"order": None, "asked": None, "confirmed": None}  # not this customer's: start over
            return Outcome(
                "waiting", "I could not find that order. Could you check the number?", facts=forget
            )
        if [m for m in errors if not m.text.startswith(REFUSED)]:
            return LOOKUP_FAILED
        still = confirm_text(asked) if asked else ASK_ADDRESS if order else ASK_ORDER
        asked_again = {"asked": {**asked, "turn": turn}} if asked else {}  # a yes now counts next turn
        if refused:
            return Outcome(
                "waiting", f"I have not changed anything: {refused[0]}. {still}", facts=asked_again
            )
        return Outcome("waiting", still, facts=asked_again)


SPEC = WorkflowSpec(
    name="address_change",
    instructions=INSTRUCTIONS,
    tools=(GET_ORDER_ADDRESS, PROPOSE_SHIPPING_ADDRESS, UPDATE_SHIPPING_ADDRESS),
    policy=AddressPolicy(),
)
graph = build_workflow(SPEC)
