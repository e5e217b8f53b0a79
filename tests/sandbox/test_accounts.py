"""The sandbox's dev credentials (`sandbox.accounts`) are exactly what the service falls back to in
dev when a brand's credential variable is unset (`tools/commerce.py`, `tools/carriers/auth.py`): two
homes that cannot share code (the sandbox knows nothing of the service), held together here."""

from __future__ import annotations

import pytest

from brands import BrandConfig, CommerceConfig, default_brands
from brands.context import BrandContext
from sandbox.accounts import KEY_SERVERS, OAUTH_SERVERS, carrier_accounts, commerce_tokens
from sandbox.brands import SandboxBrand
from tools.carriers.auth import dev_credential
from tools.commerce import recharge, shopify

ACME = default_brands()["acme"]
INITECH = ACME.model_copy(
    update={
        "brand_id": "initech",
        "commerce": CommerceConfig(
            shop="initech-shop",
            shopify_token_env="INITECH_SHOPIFY_TOKEN",
            recharge_token_env="INITECH_RECHARGE_TOKEN",
        ),
    }
)


@pytest.fixture(autouse=True)
def _dev_without_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUPPORT_ENV", "dev")
    monkeypatch.setenv("SUPPORT_COMMERCE_URL", "http://127.0.0.1:9")
    for variable in (
        "ACME_SHOPIFY_TOKEN",
        "ACME_RECHARGE_TOKEN",
        "INITECH_SHOPIFY_TOKEN",
        "INITECH_RECHARGE_TOKEN",
    ):
        monkeypatch.delenv(variable, raising=False)


@pytest.mark.parametrize("config", [ACME, default_brands()["globex"], INITECH], ids=lambda c: c.brand_id)
def test_that_the_services_dev_fallbacks_are_the_sandboxs_dev_credentials(config: BrandConfig) -> None:
    ctx = BrandContext(brand_id=config.brand_id, config=config)
    brand = SandboxBrand(ctx.brand_id, ctx.brand.commerce.shop)
    assert {
        "shopify": shopify(ctx)[1]["X-Shopify-Access-Token"],
        "recharge": recharge(ctx)[1]["X-Recharge-Access-Token"],
    } == commerce_tokens(brand.shop)
    for server in OAUTH_SERVERS:
        client = {dev_credential(ctx, server, "client-id"): dev_credential(ctx, server, "client-secret")}
        assert client == carrier_accounts(server, [brand])
    for server in KEY_SERVERS:
        assert {ctx.brand_id: dev_credential(ctx, server, "key")} == carrier_accounts(server, [brand])
