"""The one state schema of the support graph, and its reducers.

Invariant guarded here: parallel workflow branches (one `Send` per intent) merge
deterministically. Every key two branches may write in the same step has a pure,
order-independent reducer; `messages` and workflow transcripts are bounded so a long
conversation keeps a small checkpoint (the full log lives in the conversation store).
"""

from __future__ import annotations

import operator
from collections.abc import Mapping
from typing import Annotated, Any, Literal, NotRequired

from langchain_core.messages import AnyMessage
from langgraph.graph.message import add_messages
from typing_extensions import TypedDict

from routing.reading import Intent
from state.ownership import Status
from state.tool_calls import trim_keeping_pairs

Author = Literal["customer", "ai", "human"]
RunStatus = Literal["waiting", "resolved", "handed_off", "failed"]

MAX_MESSAGES = 40
"""Customer-visible messages kept in state; older ones stay in the conversation store."""
MAX_TRANSCRIPT = 16
"""Messages kept per workflow transcript, tool-call pairs whole."""


class WorkflowRun(TypedDict):
    """One workflow's run on this thread, kept apart from `messages`."""

    name: str
    status: RunStatus
    turn: int
    """The last turn this run acted on; the response lists the runs of the current turn."""
    transcript: list[AnyMessage]
    reply: str | None
    facts: dict[str, Any]
    handoff_reason: HandoffReason | None
    refused_tool_calls: int
    version: int
    """Bumped on every write of this run; the merge keeps the highest."""


HandoffReason = Literal[
    # the router (nodes/route.py)
    "customer_asked", "not_enabled", "not_automated", "no_workflow",
    # any workflow (workflows/kit/subgraph.py) and the per-turn guard (service/turns.py)
    "tool_failed", "tool_refused", "model_unavailable", "deadline", "no_reply", "internal_error",
    "write_unconfirmed",
    # a person's reply voided the run's open ask (service/ownership.py)
    "person_took_over",
    # cancel_subscription
    "retention_offer_accepted",
    # returns_refunds (workflows/returns_refunds/rules.py: ReturnRefusal)
    "not_shipped", "already_refunded", "currency_not_covered", "outside_return_window", "above_refund_cap",
    # address_change (workflows/address_change/rules.py: FulfilmentRule), cancel_order
    "order_cancelled", "already_fulfilled", "partially_fulfilled",
    # exchange_item (workflows/exchange_item/rules.py)
    "not_delivered", "price_difference",
    # reserved for the open issues that hand off for them
    "language", "unverified",
]  # fmt: skip
"""Why something was handed to a person: the one closed set (the API's `handoff.reason` enum;
tests/state/test_handoff_reasons.py fails when code hands off for a reason not listed here)."""


class Handoff(TypedDict):
    reason: HandoffReason
    unresolved: list[str]


class Sanitation(TypedDict):
    removed: dict[str, int]
    cut: bool
    flags: list[str]


class Participation(TypedDict, total=False):
    ai_replied: bool
    human_replied: bool
    closed: bool
    ai_closed_no_reply: bool
    handed_off: bool
    """Something was handed off to a person (any reason): unbillable until a person replies."""


def window_messages(left: list[AnyMessage], right: list[AnyMessage] | AnyMessage) -> list[AnyMessage]:
    """`add_messages`, then keep a bounded window with tool-call pairs whole."""
    merged = add_messages(left, right)  # type: ignore[arg-type]
    return trim_keeping_pairs(merged, MAX_MESSAGES)  # type: ignore[arg-type]


def _run_rank(run: WorkflowRun) -> tuple[int, int, str, int]:
    return (run["turn"], run["version"], run["status"], len(run["transcript"]))


def merge_runs(left: Mapping[str, WorkflowRun], right: Mapping[str, WorkflowRun]) -> dict[str, WorkflowRun]:
    """Merge runs by workflow name; on a clash the later turn, then the higher version, wins.

    The rank makes the result independent of the order in which parallel branches arrive.
    """
    merged = dict(left)
    for name, run in right.items():
        old = merged.get(name)
        if old is None or _run_rank(run) >= _run_rank(old):
            merged[name] = run
    return merged


def merge_participation(left: Participation, right: Participation) -> Participation:
    """Who took part only ever grows: a flag once set stays set."""
    keys = set(left) | set(right)
    return {k: bool(left.get(k)) or bool(right.get(k)) for k in sorted(keys)}  # type: ignore[return-value]


class TurnInput(TypedDict):
    """What one turn receives: the inbound customer message as sent, and who owns the conversation
    (the service sets these from the stored owner; a run without them is the AI's)."""

    message_id: str
    inbound_text: str
    owner: NotRequired[Status]
    awaiting: NotRequired[list[str]]
    """The asks handed off and still awaiting a person (while `owner` is `awaiting_human`)."""
    acknowledge: NotRequired[bool]
    """Whether a message that only waits for the person gets the acknowledgement this time."""


class TurnState(TypedDict, total=False):
    """State of one conversation thread (`<brand>:<conversation_id>`)."""

    turn: int
    message_id: str
    inbound_text: str
    """The inbound text as received, kept for audit; no model reads it."""
    owner: Status
    awaiting: list[str]
    acknowledge: bool
    clean_text: str
    """The inbound text after the sanitiser: the only form a model reads."""
    sanitation: Sanitation
    messages: Annotated[list[AnyMessage], window_messages]
    intents: list[Intent]
    runs: Annotated[dict[str, WorkflowRun], merge_runs]
    reply: str | None
    handoff: Handoff | None
    participation: Annotated[Participation, merge_participation]
    repairs: Annotated[int, operator.add]


class TurnOutput(TypedDict, total=False):
    turn: int
    clean_text: str
    reply: str | None
    intents: list[Intent]
    runs: dict[str, WorkflowRun]
    handoff: Handoff | None
    participation: Participation
    repairs: int


def new_run(name: str) -> WorkflowRun:
    """A workflow's run before its first turn."""
    return WorkflowRun(
        name=name, status="waiting", turn=0, transcript=[], reply=None, facts={},
        handoff_reason=None, refused_tool_calls=0, version=0,
    )  # fmt: skip
