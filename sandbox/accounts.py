"""The sandbox's published dev credentials, derived from each brand's id and shop: one home for
every sandbox server.

| server | accepts, per brand | e.g. for acme |
| --- | --- | --- |
| commerce, Shopify | `X-Shopify-Access-Token: shpat_<shop>_dev_token` | `shpat_acme_dev_token` |
| commerce, Recharge | `X-Recharge-Access-Token: rc_<shop>_dev_token` | `rc_acme_dev_token` |
| `ups`, `fedex`, `usps` | client id `<brand>-<carrier>-dev-client-id`, secret `<brand>-<carrier>-dev-client-secret` | `acme-ups-dev-client-id` |
| `dhl`, `aggregator` | account `<brand>`, API key `<brand>-<server>-dev-key` | `acme-dhl-dev-key` |

These are what the service falls back to in the dev environment when the variable a brand file
names is unset (`tools/commerce.py`, `tools/carriers/auth.py`); tests/sandbox/test_accounts.py fails
when the two drift apart.
"""

from __future__ import annotations

from collections.abc import Iterable

from sandbox.brands import SandboxBrand, shops_of
from sandbox.commerce.store import System

OAUTH_SERVERS = ("ups", "fedex", "usps")
"""Carrier servers that take OAuth client credentials; `dhl` and `aggregator` take an API key."""
KEY_SERVERS = ("dhl", "aggregator")


def commerce_tokens(shop: str) -> dict[System, str]:
    """The dev token of each commerce API for `shop`."""
    return {"shopify": f"shpat_{shop}_dev_token", "recharge": f"rc_{shop}_dev_token"}


def shop_tokens(brands: Iterable[SandboxBrand]) -> dict[str, dict[System, str]]:
    """Every shop of `brands` -> its dev token per commerce API."""
    return {shop: commerce_tokens(shop) for shop in shops_of(brands)}


def carrier_accounts(server: str, brands: Iterable[SandboxBrand]) -> dict[str, str]:
    """The dev accounts of a carrier or aggregator server: client id -> secret, or account -> API key."""
    ids = [brand.brand_id for brand in brands]
    if server in OAUTH_SERVERS:
        return {f"{b}-{server}-dev-client-id": f"{b}-{server}-dev-client-secret" for b in ids}
    if server in KEY_SERVERS:
        return {b: f"{b}-{server}-dev-key" for b in ids}
    raise ValueError(
        f"no dev accounts for server {server!r}; expected one of {[*OAUTH_SERVERS, *KEY_SERVERS]}"
    )
