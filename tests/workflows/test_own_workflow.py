"""A workflow added by a package and one registry line runs over HTTP, beside the others.

`tests/workflows/invoices/` is the package (docs/workflows.md, "Add a workflow"); the registry line
is `REGISTRY.with_workflows(invoices.WORKFLOW)`; the brand enables it in its brand file.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from brands import BRANDS_DIR
from config.settings import Settings
from tests.utils.conversations import new_conversation, say
from tests.workflows import invoices
from workflows.registry import REGISTRY, RegistryError

WITH_INVOICES = REGISTRY.with_workflows(invoices.WORKFLOW)


def _brands_enabling_invoices(folder: Path) -> Path:
    folder.mkdir()
    for path in BRANDS_DIR.glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        if path.stem == "acme":
            text = text.replace("exchange_item, handoff]", "exchange_item, invoices, handoff]")
            assert "invoices" in text
        (folder / path.name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def invoices_settings(tmp_path: Path, settings: Settings) -> Settings:
    return settings.model_copy(update={"brands_dir": _brands_enabling_invoices(tmp_path / "brands")})


@pytest.fixture
def invoices_client(invoices_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(invoices_settings, WITH_INVOICES)) as c:
        yield c


def test_that_the_registry_with_it_passes_the_drift_check() -> None:
    assert WITH_INVOICES.problems() == []  # step 3 of the guide: its examples route to it
    assert WITH_INVOICES.label_of("get_invoice") == "invoices" != REGISTRY.label_of("get_invoice")


def test_that_a_registered_workflow_answers_its_asks_over_http(invoices_client: TestClient) -> None:
    out = say(invoices_client, new_conversation(), "can I get the invoice for order 1001?")
    assert [i["name"] for i in out["intents"]] == ["invoices"]
    assert [(w["name"], w["status"]) for w in out["workflows"]] == [("invoices", "resolved")]
    assert "Invoice for order #1001: total 61.00 USD" in out["reply"]
    assert out["handoff"] is None and out["segment"] == "ai_only"


def test_that_it_runs_beside_another_workflow_and_only_sees_its_own_customers_orders(
    invoices_client: TestClient,
) -> None:
    out = say(invoices_client, new_conversation(), "where is my order 1001 and can I get its invoice?")
    assert [i["name"] for i in out["intents"]] == ["order_status", "invoices"]
    assert {w["name"]: w["status"] for w in out["workflows"]} == {
        "order_status": "resolved",
        "invoices": "resolved",
    }
    bob = {"id": "cus_bob", "email": "bob@example.com", "verified": True}
    other = say(invoices_client, new_conversation(), "can I get the invoice for order 1001?", customer=bob)
    assert "61.00" not in other["reply"]  # alice's order is not found for bob: tier one, in the tool's code
    assert [w["status"] for w in other["workflows"]] == ["waiting"]


def test_that_without_the_registry_line_the_same_ask_goes_to_a_person(settings: Settings) -> None:
    with TestClient(create_app(settings)) as c:
        out = say(c, new_conversation(), "can I get the invoice for order 1001?")
    assert out["handoff"] == {"reason": "not_automated", "unresolved": ["other"]}


def test_that_a_brand_enabling_an_unregistered_workflow_stops_startup(invoices_settings: Settings) -> None:
    with pytest.raises(RegistryError, match=r"brand 'acme' enables \['invoices'\]"):
        create_app(invoices_settings)
