"""The interface a workflow's policy implements: a step before the model, a guard on every tool call,
and the decision in code that sets the run's status.

`F` is the workflow's facts (its typed memory across turns, a TypedDict); `facts` are the run's
facts so far (earlier turns, then this turn's step), `turn` the current turn, `ctx` the brand.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from langchain_core.messages import AnyMessage, ToolCall

from brands.context import BrandContext
from state.schema import HandoffReason, RunStatus

F = TypeVar("F", bound=Mapping[str, Any])


@dataclass(frozen=True)
class Outcome:
    """What the workflow's policy decided from its transcript."""

    status: RunStatus
    reply: str
    handoff_reason: HandoffReason | None = None
    facts: Mapping[str, Any] = field(default_factory=dict)
    """Facts to merge into the run's facts (a policy's memory across turns)."""


Decide = Callable[[Sequence[AnyMessage]], Outcome]
"""How a workflow without a policy decides its status from its transcript."""


@dataclass(frozen=True)
class Step:
    """What a workflow's deterministic step decided before the model runs this turn."""

    calls: tuple[ToolCall, ...] = ()
    """Tool calls the code makes itself (through the same guard and executor as the model's)."""
    facts: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Refusal:
    """A refused precondition: `rule` a fixed name (metrics label), `reason` for the model and log."""

    rule: str
    reason: str


def policy_call(name: str, args: Mapping[str, Any], turn: int, tag: str | None = None) -> ToolCall:
    """A tool call the code makes itself, with an id that says so (`policy-<turn>-<tag>`)."""
    return ToolCall(name=name, args=dict(args), id=f"policy-{turn}-{tag or name}", type="tool_call")


class Policy(ABC, Generic[F]):
    """Policy in code for a workflow whose actions need run state (offers made, confirmations).

    The defaults do nothing, so a subclass overrides what it needs.
    """

    def step(self, transcript: Sequence[AnyMessage], facts: F, turn: int, ctx: BrandContext) -> Step:
        """Read the customer's latest message before any model call; may call tools itself."""
        del transcript, facts, turn, ctx
        return Step()

    def guard(self, call: ToolCall, facts: F, turn: int, ctx: BrandContext) -> ToolCall | Refusal:
        """The call to run (its arguments possibly set by code), or why it is refused."""
        del facts, turn, ctx
        return call

    @abstractmethod
    def decide(self, transcript: Sequence[AnyMessage], facts: F, turn: int, ctx: BrandContext) -> Outcome:
        """The run's outcome; `Outcome.facts` is merged into the run's facts."""
