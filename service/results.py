"""What the service answers: the response bodies of a turn, an event and a conversation.

The service stores a turn's and an event's answer as it is (`service.once`) and the API returns it
as its response model, so the v1 contract's response bodies live here, with the use cases.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from accounting.segments import Segment
from state.ownership import Status
from state.schema import Author, HandoffReason, RunStatus
from tools.spec import WriteKind

WriteResult = Literal["done", "refused", "failed"]
"""How a write went: `done`; `refused` (nothing was written: the policy's guard, a rule of the tool
or the store said no, `error_code` says which); `failed` (the store failed or did not answer: the
write may or may not have happened, so check the store before telling the customer)."""

EventType = Literal["human_reply", "handed_back", "closed", "reopened", "ai_closed_without_reply"]


class IntentOut(BaseModel):
    name: str
    confidence: float


class WorkflowOut(BaseModel):
    name: str
    status: RunStatus


class HandoffOut(BaseModel):
    reason: HandoffReason
    unresolved: list[str]


class TurnResponse(BaseModel):
    conversation_id: str
    message_id: str
    reply: str | None
    intents: list[IntentOut]
    workflows: list[WorkflowOut]
    handoff: HandoffOut | None
    segment: Segment
    status: Status | None = None
    """Who owns the conversation after this turn (`ai`, `awaiting_human`, `human`, `closed`); absent
    only in a replay of a response stored before conversations had an owner."""


class MessageOut(BaseModel):
    author: Author
    text: str
    time: str


class PendingHandoffOut(BaseModel):
    """What a person is awaited for: the latest handoff's reason, every ask handed off and not yet
    answered by a person, and since when a person is awaited."""

    reason: str
    unresolved: list[str]
    since: str


class RunOut(BaseModel):
    """One workflow run in one turn, as the turn left it."""

    workflow: str
    status: RunStatus
    turn: int
    message_id: str
    """The customer message whose turn ran it."""
    handoff_reason: str | None
    created_at: str


class WriteOut(BaseModel):
    """One write the AI made, or tried, in a turn."""

    workflow: str
    kind: WriteKind
    target: str | None = Field(
        description="the record written: a subscription id (sub_501), an order's name (#1001); "
        "null when a refused or failed call named none"
    )
    amount: str | None = Field(description="decimal string, for a refund: refunded, or named by the call")
    currency: str | None
    result: WriteResult
    error_code: str | None = Field(description="why it was refused or failed (tools.errors.ToolErrorCode)")
    turn: int
    message_id: str
    created_at: str


class ConfirmationOut(BaseModel):
    """A confirmation the AI asked for and the customer has not answered: a yes in the next turn
    executes it. A person's reply or a hand-back voids it."""

    workflow: str
    terms: dict[str, Any] = Field(
        description="the terms as shown to the customer: order/amount/currency (returns_refunds), "
        "subscription_id/price/interval (cancel_subscription), order_number/address (address_change)"
    )
    asked_turn: int
    pinned: dict[str, Any] | None = Field(
        default=None,
        description="the brand's terms shown with the question, pinned for this conversation (returns: "
        "window_days/refund_cap/currency): the yes executes on them unless the brand's policy then refuses",
    )


class ConversationOut(BaseModel):
    conversation_id: str
    messages: list[MessageOut]
    workflows: list[WorkflowOut]
    """The runs of the latest turn (v1)."""
    handoff: HandoffOut | None
    """The latest turn's handoff (v1); `pending_handoff` says whether a person is still awaited."""
    segment: Segment
    status: Status
    """Who owns the conversation now (v1.1)."""
    pending_handoff: PendingHandoffOut | None = None
    """What a person is awaited for, or null while nobody is awaited (v1.1)."""
    runs: list[RunOut] = []
    """Every workflow run of every turn, in order (v1.1; turns from before v1.1 have none)."""
    writes: list[WriteOut] = []
    """Every write the AI made or tried, in order (v1.1)."""
    open_confirmation: ConfirmationOut | None = None
    """The latest open ask of a waiting run, or null (v1.1)."""


class EventResponse(BaseModel):
    conversation_id: str
    event_id: str
    type: EventType
    segment: Segment
    status: Status | None = None
    """Who owns the conversation after this event."""


class LastMessageOut(BaseModel):
    text: str
    time: str


class WaitingHandoffOut(BaseModel):
    """A conversation awaiting a person."""

    conversation_id: str
    since: str
    """When a person started to be awaited (the first unanswered handoff)."""
    reason: str | None
    """The latest handoff's reason."""
    unresolved: list[str]
    last_customer_message: LastMessageOut | None
    writes: list[WriteOut]


class HandoffPage(BaseModel):
    handoffs: list[WaitingHandoffOut]
    next_cursor: str | None
    """Pass as `cursor` for the next page; null on the last page."""


class ConversationSummaryOut(BaseModel):
    conversation_id: str
    status: Status
    since: str
    """When the conversation got this status."""
    updated_at: str


class ConversationPage(BaseModel):
    conversations: list[ConversationSummaryOut]
    next_cursor: str | None
    """Pass as `cursor` for the next page; null on the last page."""


class ErasedOut(BaseModel):
    """What erasing text removed: rows by table, tracking numbers blanked. Billing counts are kept."""

    conversations: int = Field(description="conversations whose text was erased")
    messages: int = Field(description="messages (customer, AI and person) deleted")
    turns: int = Field(description="stored turn responses deleted")
    events: int = Field(description="stored helpdesk events deleted")
    owners: int = Field(description="conversation owner rows deleted")
    runs: int = Field(description="run history rows deleted")
    writes: int = Field(description="write history rows deleted")
    checkpoints: int = Field(description="LangGraph checkpoints deleted, with their blobs and writes")
    tracking_numbers: int = Field(
        description="tracking numbers blanked in the cost ledger (its rows and costs kept)"
    )


class ErasureOut(ErasedOut):
    """`DELETE /v1/customers/{customer_id}`: what was erased of this brand's customer. Idempotent: once
    erased, the same call erases nothing and answers zeros."""

    customer_id: str
