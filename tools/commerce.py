"""Shared plumbing for the commerce store: URLs and credentials resolved at call time.

Credentials are read from the environment variable the brand configuration names, at the moment
of the call; they never enter state, prompts or logs. In the dev environment an unset variable
falls back to the sandbox store's published dev token (`sandbox/accounts.py`; the two are held
together by tests/sandbox/test_accounts.py).
"""

from __future__ import annotations

import os

from brands.context import BrandContext
from config.settings import get_settings
from tools.errors import CredentialMissing

SHOPIFY_VERSION = "2024-10"
RECHARGE_VERSION = "2021-11"


def credential(env_var: str, dev_fallback: str) -> str:
    """The brand's credential from the variable its brand file names; in dev, the sandbox's dev token."""
    value = os.environ.get(env_var)
    if value:
        return value
    if get_settings().is_dev:
        return dev_fallback
    raise CredentialMissing(env_var)


def shopify(ctx: BrandContext) -> tuple[str, dict[str, str]]:
    """Base URL and headers for the brand's Shopify Admin API."""
    shop = ctx.brand.commerce.shop
    token = credential(ctx.brand.commerce.shopify_token_env, f"shpat_{shop}_dev_token")
    base = f"{get_settings().commerce()}/shops/{shop}/admin/api/{SHOPIFY_VERSION}"
    return base, {"X-Shopify-Access-Token": token, "Accept": "application/json"}


def recharge(ctx: BrandContext) -> tuple[str, dict[str, str]]:
    """Base URL and headers for the brand's Recharge API."""
    shop = ctx.brand.commerce.shop
    token = credential(ctx.brand.commerce.recharge_token_env, f"rc_{shop}_dev_token")
    base = f"{get_settings().commerce()}/shops/{shop}/recharge"
    headers = {"X-Recharge-Access-Token": token, "X-Recharge-Version": RECHARGE_VERSION}
    return base, headers


def belongs_to(record_email: str | None, ctx: BrandContext) -> bool:
    """Tier one: a record is the customer's only if its email is the authenticated one."""
    if not record_email or not ctx.customer_email:
        return False
    return record_email.strip().lower() == ctx.customer_email.strip().lower()
