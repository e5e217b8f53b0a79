"""The conversation routes: `POST /v1/conversations/{id}/messages` (one turn) and `GET /v1/conversations/{id}`."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException

from api.deps import Brand, ConversationId, Svc
from api.schemas import InboundMessage, problems
from service.conversations import read_conversation
from service.results import ConversationOut, TurnResponse
from service.turns import Inbound, run_turn

router = APIRouter()


@router.post(
    "/v1/conversations/{conversation_id}/messages",
    response_model=TurnResponse,
    responses=problems(401, 409, 413),
)
async def post_message(
    conversation_id: ConversationId, body: InboundMessage, brand: Brand, svc: Svc
) -> TurnResponse:
    message = Inbound(body.message_id, body.text, body.customer.id, body.customer.email)
    return await run_turn(svc, brand, conversation_id, message)


@router.get(
    "/v1/conversations/{conversation_id}", response_model=ConversationOut, responses=problems(401, 404)
)
async def get_conversation(conversation_id: ConversationId, brand: Brand, svc: Svc) -> ConversationOut:
    conversation = await read_conversation(svc, brand, conversation_id)
    if conversation is None:
        raise HTTPException(404, f"conversation {conversation_id!r} not found")
    return conversation
