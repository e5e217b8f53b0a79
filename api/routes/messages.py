"""The conversation routes: `POST /v1/conversations/{id}/messages` (one turn), `GET /v1/conversations/{id}`
and `GET /v1/conversations` (the brand's conversations by owner, a page at a time)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query

from api.admission import Admitted
from api.deps import Brand, ConversationId, Svc
from api.schemas import Cursor, InboundMessage, Limit, problems
from service.conversations import read_conversation
from service.listing import BadCursor, list_conversations
from service.results import ConversationOut, ConversationPage, TurnResponse
from service.turns import Inbound, run_turn
from state.ownership import Status

router = APIRouter(tags=["conversations"])


@router.post(
    "/v1/conversations/{conversation_id}/messages",
    response_model=TurnResponse,
    responses=problems(401, 409, 413, 429),
)
async def post_message(
    conversation_id: ConversationId, body: InboundMessage, brand: Brand, svc: Svc, _slot: Admitted
) -> TurnResponse:
    customer = body.customer
    message = Inbound(body.message_id, body.text, customer.id, customer.email, customer.verified)
    return await run_turn(svc, brand, conversation_id, message)


@router.get(
    "/v1/conversations/{conversation_id}", response_model=ConversationOut, responses=problems(401, 404)
)
async def get_conversation(conversation_id: ConversationId, brand: Brand, svc: Svc) -> ConversationOut:
    conversation = await read_conversation(svc, brand, conversation_id)
    if conversation is None:
        raise HTTPException(404, f"conversation {conversation_id!r} not found")
    return conversation


@router.get("/v1/conversations", response_model=ConversationPage, responses=problems(400, 401))
async def get_conversations(
    brand: Brand,
    svc: Svc,
    status: Annotated[
        Status | None, Query(description="only conversations with this owner; absent: all")
    ] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> ConversationPage:
    """The brand's conversations by when they got their owner, oldest first."""
    try:
        return await list_conversations(svc, brand, status, limit, cursor)
    except BadCursor as exc:
        raise HTTPException(400, str(exc)) from exc
