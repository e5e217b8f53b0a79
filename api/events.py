"""`POST /v1/conversations/{id}/events`: helpdesk events recorded on the conversation's thread.

Design: an event is recorded on the same thread as the turns, as if the `billing` node wrote it
(`graph.aupdate_state(..., as_node="billing")`): its participation flags (the same table the
`billing` node and the ledger use, `accounting/segments.py`) merge into the checkpoint, and a human
reply joins `messages` there and in the conversation store with author `human`. The ledger then
applies the same event. So the segment this endpoint answers, the next turn's and
`GET /v1/conversations/{id}`'s are one value, read from one checkpoint.

Idempotent by `event_id` (same body: the stored response; other body: 409). An event on a
conversation the AI never saw creates it (human-only and unanswered tickets count too). Takes
the thread's locks, so an event never interleaves with a running turn.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, HTTPException
from langchain_core.messages import AIMessage

from accounting.bookkeeping import record
from accounting.segments import EVENT_PARTICIPATION, ConversationEvent, segment_of
from api.deps import Brand, ConversationId, Svc
from api.schemas import ConversationEventIn, EventResponse, problems
from api.turns import Service, thread_id
from tools.sanitiser import clean

router = APIRouter(tags=["events"])

EVENT_KIND: dict[str, ConversationEvent] = {
    "human_reply": "human_reply",
    "closed": "closed",
    "reopened": "reopened",
    "ai_closed_without_reply": "ai_closed_no_reply",
}


@asynccontextmanager
async def _hold(svc: Service, thread: str) -> AsyncIterator[None]:
    async with svc.locks.hold(thread), svc.persistence.thread_lock(thread):
        yield


def _update(kind: ConversationEvent, event_id: str, text: str | None) -> dict[str, Any]:
    update: dict[str, Any] = {"participation": dict(EVENT_PARTICIPATION[kind])}
    if kind == "human_reply":
        update["messages"] = [AIMessage(content=text or "", name="human", id=f"human:{event_id}")]
    return update


@router.post(
    "/v1/conversations/{conversation_id}/events",
    response_model=EventResponse,
    responses=problems(401, 409, 413),
)
async def post_event(
    conversation_id: ConversationId, body: ConversationEventIn, brand: Brand, svc: Svc
) -> EventResponse:
    """Record a human reply, a close, a reopen or a silent AI close; answer with the segment."""
    thread = thread_id(brand.brand_id, conversation_id)
    store = svc.persistence.store
    kind = EVENT_KIND[body.type]
    async with _hold(svc, thread):
        started, stored = await store.begin_event(
            thread, brand.brand_id, body.event_id, body.type, body.model_dump_json()
        )
        if started == "conflict":
            raise HTTPException(409, "event_id reused with another event")
        if started == "replay" and stored is not None:
            return EventResponse.model_validate(stored)
        text = clean(body.text, source="helpdesk").text if body.text is not None else None
        config = {"configurable": {"thread_id": thread}}
        await svc.graph.aupdate_state(config, _update(kind, body.event_id, text), as_node="billing")
        if kind == "human_reply":
            await store.add_message(
                thread, brand.brand_id, "human", f"event:{body.event_id}", text or "", body.text
            )
        await record(
            svc.ledger,
            brand,
            thread,
            conversation_id,
            [(f"event:{body.event_id}", kind)],
            svc.clock(),
        )
        state = (await svc.graph.aget_state(config)).values
        response = EventResponse(
            conversation_id=conversation_id,
            event_id=body.event_id,
            type=body.type,
            segment=segment_of(state.get("participation", {})),
        )
        await store.finish_event(thread, body.event_id, response.model_dump())
        await svc.persistence.prune(thread)
    return response
