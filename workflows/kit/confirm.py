"""Confirm-then-write, written once: the customer's yes bound to the terms we showed, the write made by
code with its hidden arguments set in the guard, an idempotency key per confirmation, and one write
step that decides from the write's outcome.

The turns of every writing workflow:
1. the workflow shows terms and asks (`facts["asked"]`: the terms as shown, plus the turn);
2. the next turn's text is read in code (`Confirmation.confirms`): a plain yes, in the turn right
   after the ask, naming no other terms. The terms shown are copied into `facts["confirmed"]`
   with this turn, and the code calls the write itself (`ConfirmedWrite.write_call`);
3. every call of the write, the code's or the model's, passes the guard: `write_refusal` (the
   workflow's rules) or the call with its arguments set from the confirmation (`write_args`), so
   hidden values the model sent are overwritten;
4. `decide_write` reads the write's result: done (`written`, also when the tool found it applied
   by reading it back: `tools.readback`), refused by the system with a code (`not_written`), or
   still unknown after reading back (`unconfirmed`: we say we are checking, a person takes it,
   nothing is claimed either way).
"""

from __future__ import annotations

import hashlib
import json
from abc import abstractmethod
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Generic

from langchain_core.messages import AnyMessage, ToolCall, ToolMessage

from brands.context import BrandContext
from state.handoffs import why
from tools.errors import error_code
from tools.spec import ToolSpec
from workflows.kit.answers import Answer, next_turn_after, plain_answer
from workflows.kit.policy import F, Outcome, Policy, Refusal, Step, policy_call
from workflows.kit.transcript import good, results

LOST = frozenset({"write_unconfirmed", "unexpected"})
"""Error codes after which a write may or may not have happened and reading back could not tell
(the write tool reads back before it answers `write_unconfirmed`). A failed read before the write
(`upstream_error`, `upstream_timeout`) or no time left to send it (`deadline`) wrote nothing."""


def utc_now() -> datetime:
    """The clock a policy judges order dates by (its rules take `now` as an argument)."""
    return datetime.now(UTC)


def idempotency_key(kind: str, *parts: object) -> str:
    """`<kind>-<32 hex>`: the same parts always give the same key, so a retry never writes twice."""
    raw = json.dumps(list(parts), sort_keys=True, default=str)
    return f"{kind}-{hashlib.sha256(raw.encode()).hexdigest()[:32]}"


def confirmed_after_ask(
    asked: Mapping[str, Any] | None, confirmed: Mapping[str, Any] | None, turn: int
) -> bool:
    """A yes that may be acted on: given in this `turn`, a later turn than the question it answers. A yes
    is used in the turn it is given, never carried to a later one."""
    if not asked or not confirmed:
        return False
    return int(confirmed["turn"]) == turn > int(asked["turn"])


@dataclass(frozen=True)
class Confirmation:
    """What one writing workflow asks the customer to confirm, and how a yes to it reads."""

    bound: tuple[str, ...]
    """The terms a confirmation is bound to: another value of any needs a new confirmation."""
    answer: Callable[[str], Answer]
    """How a yes and a no to this question read."""
    numbers: Callable[[Mapping[str, Any]], Sequence[str]]
    """The numbers in the terms asked: the only numbers a plain yes may repeat."""
    names_other: Callable[[str, Mapping[str, Any]], bool]
    """Whether the text names other terms than asked (another id, amount or address)."""
    same: Callable[[Mapping[str, Any], Mapping[str, Any]], bool] | None = None
    """How two sets of terms compare; None: as strings, key by key over `bound`."""

    def confirms(self, text: str, asked: Mapping[str, Any] | None, turn: int) -> bool:
        """True when `text`, in `turn`, confirms what we asked in the turn before: a plain answer
        (`plain_answer`), naming nothing else, read as a yes."""
        if asked is None or not next_turn_after(asked, turn):
            return False
        if not plain_answer(text, self.numbers(asked)) or self.names_other(text, asked):
            return False
        return self.answer(text) == "yes"

    def same_terms(self, a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
        if self.same is not None:
            return self.same(a, b)
        return all(str(a.get(k)) == str(b.get(k)) for k in self.bound)

    @staticmethod
    def accept(asked: Mapping[str, Any], turn: int) -> dict[str, Any]:
        """The confirmation: the terms as shown, copied, with the turn of the yes."""
        return {**asked, "turn": turn}


class ConfirmedWrite(Policy[F], Generic[F]):
    """A policy whose write needs a bound confirmation. Subclasses give the confirmation, the
    write's rules and arguments, and what to say after it."""

    confirmation: Confirmation
    writes: ToolSpec
    clock: Callable[[], datetime] = staticmethod(utc_now)
    """The write a confirmation allows (the policy workflow declares what it writes)."""

    # -- step: a yes becomes the confirmation and the write, made by code
    def read_yes(self, text: str, facts: F, turn: int) -> Step | None:
        """The step when `text` confirms what we asked, else None."""
        asked = facts.get("asked")
        if not self.confirmation.confirms(text, asked, turn) or asked is None:
            return None
        confirmed = self.confirmation.accept(asked, turn)
        return Step((self.write_call(confirmed, turn),), {"confirmed": confirmed})

    def write_call(self, confirmed: Mapping[str, Any], turn: int) -> ToolCall:
        """The write the code makes after a yes; the guard sets its arguments."""
        return policy_call(self.writes.name, self.call_args(confirmed), turn, self.write_tag)

    write_tag: str | None = None
    """The id tag of the code's write call (`policy-<turn>-<tag>`); None: the tool's name."""
    what: str = "change"
    """What the write is, as the customer reads it ("refund", "cancellation", "address change")."""
    failed_reply: str = "The store did not take the change, so nothing has changed."
    """The reply when the write surely did not happen and nothing else explains why (`failed`)."""

    @abstractmethod
    def call_args(self, confirmed: Mapping[str, Any]) -> dict[str, Any]:
        """The visible arguments of the code's write call (which order, which subscription)."""

    # -- guard: every write, the code's or the model's
    def guard(self, call: ToolCall, facts: F, turn: int, ctx: BrandContext) -> ToolCall | Refusal:
        if call["name"] != self.writes.name:
            return call
        refusal = self.write_refusal(call, facts, turn, ctx)
        if refusal is not None:
            return refusal
        args = self.write_args(call, facts["confirmed"], ctx)  # set in code: hidden values are overwritten
        return ToolCall(name=call["name"], args=args, id=call["id"], type="tool_call")

    @abstractmethod
    def write_refusal(self, call: ToolCall, facts: F, turn: int, ctx: BrandContext) -> Refusal | None:
        """Why this write is refused now (no confirmation, other terms, the workflow's rules)."""

    @abstractmethod
    def write_args(self, call: ToolCall, confirmed: Mapping[str, Any], ctx: BrandContext) -> dict[str, Any]:
        """The write's arguments, from the confirmation (idempotency key included)."""

    # -- decide: from the write's outcome
    def decide_write(
        self, transcript: Sequence[AnyMessage], facts: F, turn: int, ctx: BrandContext
    ) -> Outcome | None:
        """The outcome when the write ran this turn, else None (the policy decides the rest)."""
        writes = results(transcript, self.writes.name)
        done = good(writes)
        if done:
            return self.written(done[0], facts, turn, ctx)
        confirmed = facts.get("confirmed")
        if not (confirmed and int(confirmed["turn"]) == turn and writes):
            return None
        code = error_code(writes[0])
        if code in LOST:
            return self.unconfirmed(confirmed)
        return self.not_written(code, writes[0], confirmed, facts, turn, ctx)

    def failed(self, cleared: Mapping[str, Any] | None = None) -> Outcome:
        """The write did not happen for no reason the policy can explain: a person takes the intent.
        `cleared`: the facts it uses up (by default the confirmation; the ask still stands)."""
        return Outcome("handed_off", self.failed_reply, "tool_failed", facts=cleared or {"confirmed": None})

    def unconfirmed(self, confirmed: Mapping[str, Any]) -> Outcome:
        """The write may have happened and reading back could not tell: say so, and a person checks.
        The confirmation is used up (a later yes must not send it again) and kept for that person."""
        return Outcome(
            "handed_off",
            why("write_unconfirmed", what=self.what),
            "write_unconfirmed",
            facts={"asked": None, "confirmed": None, "unconfirmed": dict(confirmed)},
        )

    @abstractmethod
    def written(self, result: ToolMessage, facts: F, turn: int, ctx: BrandContext) -> Outcome:
        """The write succeeded: say what was done; the confirmation is used up."""

    @abstractmethod
    def not_written(
        self,
        code: str | None,
        result: ToolMessage,
        confirmed: Mapping[str, Any],
        facts: F,
        turn: int,
        ctx: BrandContext,
    ) -> Outcome:
        """The write did not go through (`code` says why): ask again or hand off."""
