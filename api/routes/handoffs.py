"""`GET /v1/handoffs?status=waiting`: the brand's conversations awaiting a person (`service.listing`).

Tier one: the brand comes from the API key; another brand's conversations are never listed.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query

from api.deps import Brand, Svc
from api.schemas import Cursor, Limit, problems
from service.listing import BadCursor, list_handoffs
from service.results import HandoffPage

router = APIRouter(tags=["handoffs"])

HandoffStatus = Literal["waiting"]
"""Which handoffs to list: `waiting` (no person has replied yet). More may be accepted later."""


@router.get("/v1/handoffs", response_model=HandoffPage, responses=problems(400, 401))
async def get_handoffs(
    brand: Brand,
    svc: Svc,
    status: Annotated[
        HandoffStatus,
        Query(
            description="`waiting` (the default): conversations a person is awaited on; the only value today"
        ),
    ] = "waiting",
    limit: Limit = 50,
    cursor: Cursor = None,
) -> HandoffPage:
    """The brand's conversations awaiting a person, the longest waiting first: since when, why, the
    asks handed off, the customer's last message and the writes the AI made."""
    del status  # only `waiting` today
    try:
        return await list_handoffs(svc, brand, limit, cursor)
    except BadCursor as exc:
        raise HTTPException(400, str(exc)) from exc
