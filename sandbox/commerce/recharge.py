"""Recharge API, version 2021-11: read subscriptions, cancel one.

`POST .../subscriptions/{id}/cancel` needs a non-blank `cancellation_reason` (else 422
`{"errors": {"cancellation_reason": ["can't be blank"]}}`), takes `cancellation_reason_comments`
(at most 1024 characters) and `send_email`, and honours `Idempotency-Key` (see `idempotency`).
Cancelling a cancelled subscription is 422. A request naming another `X-Recharge-Version` is 400:
the sandbox speaks 2021-11 only, and a silent answer in the wrong shape would hide a client bug.
"""

from __future__ import annotations

import copy
from datetime import UTC
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import JSONResponse

from sandbox.commerce import idempotency
from sandbox.commerce.access import NOT_FOUND, authorised_shop
from sandbox.commerce.shapes import Json, ShopData
from sandbox.commerce.store import CommerceStore

API_VERSION = "2021-11"
MAX_COMMENT_LENGTH = 1024

router = APIRouter(prefix="/shops/{shop}/recharge")


def recharge_shop(request: Request, shop: str) -> ShopData:
    data = authorised_shop(request, shop, "recharge")
    version = request.headers.get("X-Recharge-Version", API_VERSION)
    if version != API_VERSION:
        raise HTTPException(status_code=400, detail=f"Unsupported X-Recharge-Version {version!r}")
    return data


Shop = Annotated[ShopData, Depends(recharge_shop)]


def subscription_in(data: ShopData, subscription_id: str) -> Json:
    subscription = data.subscriptions.get(subscription_id)
    if subscription is None:
        raise HTTPException(status_code=404, detail=NOT_FOUND)
    return subscription


def cancel_errors(body: Json) -> dict[str, list[str]]:
    """Return Recharge-style field errors for a cancel request body; empty when it is valid."""
    errors: dict[str, list[str]] = {}
    reason = body.get("cancellation_reason")
    if not isinstance(reason, str) or not reason.strip():
        errors["cancellation_reason"] = ["can't be blank"]
    comments = body.get("cancellation_reason_comments")
    if comments is not None and not isinstance(comments, str):
        errors["cancellation_reason_comments"] = ["must be a string"]
    elif comments is not None and len(comments) > MAX_COMMENT_LENGTH:
        errors["cancellation_reason_comments"] = [f"is too long (maximum is {MAX_COMMENT_LENGTH} characters)"]
    if body.get("send_email") is not None and not isinstance(body["send_email"], bool):
        errors["send_email"] = ["must be a boolean"]
    return errors


def now_text(store: CommerceStore) -> str:
    return store.clock().astimezone(UTC).replace(microsecond=0).isoformat()


def cancel(store: CommerceStore, data: ShopData, subscription: Json, body: Json, key: str | None) -> None:
    """Cancel the subscription in place and log the cancellation for `/_admin/state`."""
    when = now_text(store)
    subscription.update(
        status="cancelled",
        cancelled_at=when,
        updated_at=when,
        next_charge_scheduled_at=None,
        cancellation_reason=body["cancellation_reason"],
        cancellation_reason_comments=body.get("cancellation_reason_comments"),
    )
    data.cancellations.append(
        {
            "subscription_id": subscription["id"],
            "cancellation_reason": body["cancellation_reason"],
            "cancellation_reason_comments": body.get("cancellation_reason_comments"),
            "send_email": body.get("send_email", True),
            "cancelled_at": when,
            "idempotency_key": key,
        }
    )


@router.get("/subscriptions")
async def list_subscriptions(
    data: Shop,
    email: str | None = None,
    customer_id: int | None = None,
    status: str | None = None,
) -> dict[str, Any]:
    found = [
        s
        for s in data.subscriptions.values()
        if (email is None or s["email"].lower() == email.strip().lower())
        and (customer_id is None or s["customer_id"] == customer_id)
        and (status is None or s["status"] == status.lower())
    ]
    return {"subscriptions": found, "next_cursor": None, "previous_cursor": None}


@router.get("/subscriptions/{subscription_id}")
async def get_subscription(data: Shop, subscription_id: str) -> dict[str, Json]:
    return {"subscription": subscription_in(data, subscription_id)}


@router.post("/subscriptions/{subscription_id}/cancel")
async def cancel_subscription(request: Request, data: Shop, shop: str, subscription_id: str) -> JSONResponse:
    write, earlier = await idempotency.begin(request, shop)
    if earlier is not None:
        return earlier
    store, body, key = write.store, write.body, write.key
    subscription = subscription_in(data, subscription_id)
    errors = cancel_errors(body)
    if errors:
        raise HTTPException(status_code=422, detail=errors)
    if subscription["status"] == "cancelled":
        raise HTTPException(status_code=422, detail="Subscription is already cancelled")
    cancel(store, data, subscription, body, key)
    return write.answer({"subscription": copy.deepcopy(subscription)})
