"""Subscription tools over the Recharge API: look one up, cancel one.

The cancel is a write: the workflow's policy guard (`workflows/cancel_subscription/`)
decides whether it may run and sets its hidden arguments (the idempotency key and the terms the
customer confirmed) in code; the model never sees or fills them. The body checks once more that
the subscription still has the confirmed terms, so a changed price needs a new confirmation. The
cancel is sent once; its comment carries the idempotency key (`tools.readback.marker`), so a
subscription already cancelled by this confirmation (a replayed turn) is the answer, and after a
lost answer the subscription is read back for it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, Field
from pydantic.json_schema import SkipJsonSchema

from brands import BrandConfig
from brands.context import BrandContext
from routing.ids import SUBSCRIPTION_ID
from tools.commerce import belongs_to, recharge
from tools.errors import NotFound, ToolError
from tools.http import request_json, write_json
from tools.readback import carries, marker, written_or_read_back
from tools.spec import ToolResult, ToolSpec, WriteTerms


class SubscriptionArgs(BaseModel):
    subscription_id: str = Field(pattern=SUBSCRIPTION_ID, description="subscription id, e.g. sub_501")


class CancelArgs(SubscriptionArgs):
    idempotency_key: SkipJsonSchema[str] = ""
    """Set by the policy guard from the confirmation; empty means not confirmed."""
    confirmed_price: SkipJsonSchema[str] = ""
    confirmed_interval: SkipJsonSchema[str] = ""


def terms_of(sub: dict[str, Any]) -> dict[str, str]:
    """The terms a cancel confirmation is bound to: id, product, price and interval."""
    return {
        "subscription_id": str(sub.get("id")),
        "product": str(sub.get("product_title") or "subscription"),
        "price": str(sub.get("price")),
        "interval": f"{sub.get('order_interval_frequency')} {sub.get('order_interval_unit')}",
        "status": str(sub.get("status")),
    }


def describe_subscription(sub: dict[str, Any]) -> str:
    every = f"every {sub.get('order_interval_frequency')} {sub.get('order_interval_unit')}"
    return (
        f"Subscription {sub['id']} ({sub.get('product_title')}): status {sub.get('status')}, "
        f"{sub.get('price')} {every}, next charge {sub.get('next_charge_scheduled_at') or 'none'}."
    )


async def find_subscription(subscription_id: str, ctx: BrandContext) -> dict[str, Any]:
    base, headers = recharge(ctx)
    what = f"subscription {subscription_id}"
    body = await request_json(
        "recharge", "GET", f"{base}/subscriptions/{subscription_id}", headers=headers, what=what
    )
    sub = body.get("subscription") or {}
    if not belongs_to(sub.get("email"), ctx):
        raise NotFound("recharge", what)
    return sub


async def _get_subscription(args: SubscriptionArgs, ctx: BrandContext) -> ToolResult:
    sub = await find_subscription(args.subscription_id, ctx)
    return ToolResult(describe_subscription(sub), {"subscription": terms_of(sub)})


CANCEL_COMMENT = "Cancelled in support chat, confirmed by the customer"


def cancelled_by(sub: dict[str, Any], key: str) -> dict[str, Any] | None:
    """The subscription, when this write's cancellation (its marker) is applied to it."""
    if sub.get("status") == "cancelled" and carries(sub.get("cancellation_reason_comments"), key):
        return sub
    return None


def cancel_done(sub: dict[str, Any], *, reconciled: bool) -> ToolResult:
    facts = {"subscription": terms_of(sub), "cancelled": True}
    return ToolResult(describe_subscription(sub), {**facts, **({"reconciled": True} if reconciled else {})})


async def _cancel_subscription(args: CancelArgs, ctx: BrandContext) -> ToolResult:
    if not args.idempotency_key:
        raise ToolError(
            CANCEL_SUBSCRIPTION.name,
            "not_confirmed",
            "the cancellation has not been confirmed by the customer",
        )
    key = args.idempotency_key
    sub = await find_subscription(args.subscription_id, ctx)
    if cancelled_by(sub, key) is not None:  # a replayed turn: this confirmation's cancel was applied
        return cancel_done(sub, reconciled=True)
    now = terms_of(sub)
    if (now["price"], now["interval"]) != (args.confirmed_price, args.confirmed_interval):
        raise ToolError(
            CANCEL_SUBSCRIPTION.name,
            "terms_changed",
            f"the subscription's terms changed since the customer confirmed ({args.confirmed_price} every "
            f"{args.confirmed_interval}, now {now['price']} every {now['interval']}): a new confirmation is needed",
        )
    base, headers = recharge(ctx)

    async def find() -> dict[str, Any] | None:
        return cancelled_by(await find_subscription(args.subscription_id, ctx), key)

    done, reconciled = await written_or_read_back(
        write_json(
            CANCEL_SUBSCRIPTION.name,
            "recharge",
            "POST",
            f"{base}/subscriptions/{args.subscription_id}/cancel",
            headers={**headers, "Idempotency-Key": key},
            what=f"subscription {args.subscription_id}",
            json={
                "cancellation_reason": ctx.brand.subscriptions.cancellation_reason,
                "cancellation_reason_comments": f"{CANCEL_COMMENT} {marker(key)}",
                "send_email": True,
            },
        ),
        "subscription",
        find,
        f"the cancellation of subscription {args.subscription_id}",
    )
    return cancel_done(done, reconciled=reconciled)


def cancel_written(
    args: Mapping[str, Any], artifact: Mapping[str, Any] | None, brand: BrandConfig
) -> WriteTerms:
    """The subscription a cancel call named (the result's, when it succeeded)."""
    del brand
    done = artifact.get("subscription") if artifact is not None else None
    target = done.get("subscription_id") if isinstance(done, Mapping) else args.get("subscription_id")
    return WriteTerms("cancel", str(target) if target else None)


GET_SUBSCRIPTION = ToolSpec(
    name="get_subscription",
    description="Look up one of the customer's subscriptions by id: product, status, price, next charge.",
    args_schema=SubscriptionArgs,
    body=_get_subscription,
)

CANCEL_SUBSCRIPTION = ToolSpec(
    name="cancel_subscription",
    description="Cancel a subscription. Runs only after the retention offer and the customer's confirmation.",
    args_schema=CancelArgs,
    body=_cancel_subscription,
    writes=True,
    written=cancel_written,
)
