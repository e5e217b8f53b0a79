"""A brand whose store names its orders its own way ("IN-9001"): the customer's "IN-9001" is that order,
read by the router and the workflows alike, and the store is asked for it by that name."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from config.settings import Settings
from sandbox.brands import read_brands
from tests.utils.conversations import new_conversation, say
from tests.utils.sandbox import sandbox_servers

BRAND = """brand_id: initech
display_name: Initech Supplies
workflows: [order_status, returns_refunds, address_change, handoff]
commerce:
  shop: initech
  shopify_token_env: INITECH_SHOPIFY_TOKEN
  recharge_token_env: INITECH_RECHARGE_TOKEN
  order_name: {prefix: IN-}
carriers:
  native:
    ups: {cost_per_lookup: 0.002, client_id_env: INITECH_UPS_CLIENT_ID, client_secret_env: INITECH_UPS_CLIENT_SECRET}
dev_api_keys: [initech-dev-key]
"""
INITECH = {"Authorization": "Bearer initech-dev-key"}
SAM = {"id": "cus_sam", "email": "sam@initech.example.com", "verified": True}


@pytest.fixture
def initech(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    brands = tmp_path / "brands"
    brands.mkdir()
    (brands / "initech.yaml").write_text(BRAND, encoding="utf-8")
    with sandbox_servers(read_brands(brands)) as servers:
        for name, value in servers.env().items():
            monkeypatch.setenv(name, value)
        settings = Settings(env="dev", data_dir=tmp_path / "data", brands_dir=brands)
        with TestClient(create_app(settings)) as client:
            yield client


def test_that_the_stores_own_order_names_are_read_and_looked_up(initech: TestClient) -> None:
    out = say(initech, new_conversation(), "where is my parcel IN-9001?", headers=INITECH, customer=SAM)
    assert [i["name"] for i in out["intents"]] == ["order_status"]
    assert "IN-9001" in out["reply"] and "in transit" in out["reply"]


def test_that_an_address_change_names_and_writes_the_order_by_the_stores_name(initech: TestClient) -> None:
    conversation = new_conversation()

    def turn(text: str) -> str:
        return say(initech, conversation, text, headers=INITECH, customer=SAM)["reply"]

    assert turn("please change the shipping address of IN-9002").startswith(
        "Order IN-9002 has not shipped yet"
    )
    assert turn("500 Oak Road, Springfield, IL 62704").startswith(
        "Please confirm: shall I change the shipping address of order IN-9002 to 500 Oak Road"
    )
    assert turn("yes").startswith("Done: order IN-9002 will now ship to 500 Oak Road")


def test_that_the_stores_order_name_answers_which_order(initech: TestClient) -> None:
    conversation = new_conversation()
    out = say(initech, conversation, "I want to return something I bought", headers=INITECH, customer=SAM)
    assert [(w["name"], w["status"]) for w in out["workflows"]] == [("returns_refunds", "waiting")]
    answer = say(initech, conversation, "IN-9001", headers=INITECH, customer=SAM)
    assert "Order IN-9001 can be returned" in answer["reply"], answer["reply"]
