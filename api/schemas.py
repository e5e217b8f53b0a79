"""Request and response bodies of the v1 HTTP contract (see shared/ARCHITECTURE.md)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$"


class Customer(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(min_length=1, max_length=128)
    email: str | None = Field(default=None, max_length=254, pattern=r"^[^@\s]+@[^@\s]+$")


class InboundMessage(BaseModel):
    model_config = ConfigDict(extra="forbid")
    message_id: str = Field(pattern=ID_PATTERN)
    text: str = Field(min_length=1, max_length=20_000)
    customer: Customer


class IntentOut(BaseModel):
    name: str
    confidence: float


class WorkflowOut(BaseModel):
    name: str
    status: Literal["waiting", "resolved", "handed_off", "failed"]


class HandoffOut(BaseModel):
    reason: str
    unresolved: list[str]


Segment = Literal["ai_only", "ai_and_human", "human_only", "ai_closed_no_reply", "nobody"]


class TurnResponse(BaseModel):
    conversation_id: str
    message_id: str
    reply: str | None
    intents: list[IntentOut]
    workflows: list[WorkflowOut]
    handoff: HandoffOut | None
    segment: Segment


class MessageOut(BaseModel):
    author: Literal["customer", "ai", "human"]
    text: str
    time: str


class ConversationOut(BaseModel):
    conversation_id: str
    messages: list[MessageOut]
    workflows: list[WorkflowOut]
    handoff: HandoffOut | None
    segment: Segment
