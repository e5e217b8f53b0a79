"""What the service answers: the response bodies of a turn, an event and a conversation.

The service stores a turn's and an event's answer as it is (`service.once`) and the API returns it
as its response model, so the v1 contract's response bodies live here, with the use cases.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from accounting.segments import Segment
from state.ownership import Status
from state.schema import Author, HandoffReason, RunStatus

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


class ConversationOut(BaseModel):
    conversation_id: str
    messages: list[MessageOut]
    workflows: list[WorkflowOut]
    handoff: HandoffOut | None
    segment: Segment


class EventResponse(BaseModel):
    conversation_id: str
    event_id: str
    type: EventType
    segment: Segment
    status: Status | None = None
    """Who owns the conversation after this event."""
