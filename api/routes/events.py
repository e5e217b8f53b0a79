"""`POST /v1/conversations/{id}/events`: helpdesk events recorded on the conversation (`service.events`)."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import Brand, ConversationId, Svc
from api.schemas import ConversationEventIn, problems
from service.events import Event, record_event
from service.results import EventResponse

router = APIRouter(tags=["events"])


@router.post(
    "/v1/conversations/{conversation_id}/events",
    response_model=EventResponse,
    responses=problems(401, 409, 413),
)
async def post_event(
    conversation_id: ConversationId, body: ConversationEventIn, brand: Brand, svc: Svc
) -> EventResponse:
    """Record a human reply, a close, a reopen or a silent AI close; answer with the segment."""
    event = Event(body.event_id, body.type, body.model_dump_json(), body.text)
    return await record_event(svc, brand, conversation_id, event)
