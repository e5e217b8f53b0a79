"""Subscription tools over the Recharge API."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from brands.context import BrandContext
from tools.commerce import belongs_to, recharge
from tools.errors import NotFound
from tools.http import request_json
from tools.spec import ToolSpec


class SubscriptionArgs(BaseModel):
    subscription_id: str = Field(pattern=r"\bsub_[A-Za-z0-9]+\b", description="subscription id, e.g. sub_501")


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


async def _get_subscription(args: SubscriptionArgs, ctx: BrandContext) -> str:
    return describe_subscription(await find_subscription(args.subscription_id, ctx))


GET_SUBSCRIPTION = ToolSpec(
    name="get_subscription",
    description="Look up one of the customer's subscriptions by id: product, status, price, next charge.",
    args_schema=SubscriptionArgs,
    body=_get_subscription,
)
