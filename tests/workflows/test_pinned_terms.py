"""Workflow terms are pinned per conversation: the terms shown with a question are copied into the
run's facts when it is asked, and the yes executes on them, unless the brand's policy when the yes
comes would refuse them (a lower cap, a shorter window, the workflow disabled): then it is handed
off, saying so. An offer already made is honoured.

Brand files change at restart, so each test answers the question on a new app, on the same SQLite
data folder, started with an edited brand file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from config.settings import Settings
from tests.utils.conversations import ACME, new_conversation, say
from tests.utils.sandbox import Sandbox
from tests.utils.writes import brands_with, cancellations_of_501, refunds_of_1001

RETURN_1001 = "I want to return order 1001 and get a refund"


def service(tmp_path: Path, brands: Path) -> TestClient:
    """The app on the test's one data folder, reading `brands` at start."""
    return TestClient(
        create_app(Settings(env="dev", database_url=None, data_dir=tmp_path / "data", brands_dir=brands))
    )


def edit_acme(brands: Path, old: str, new: str) -> None:
    path = brands / "acme.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def open_confirmation(client: TestClient, conversation: str) -> dict[str, Any] | None:
    return client.get(f"/v1/conversations/{conversation}", headers=ACME).json()["open_confirmation"]


@pytest.mark.parametrize(
    ("old", "new", "reason", "now"),
    [
        (
            "refund_cap: 100.00",
            "refund_cap: 50.00",
            "above_refund_cap",
            "its total is above what I can refund without a colleague",
        ),
        (
            "window_days: 365",
            "window_days: 7",
            "outside_return_window",
            "it shipped more than 7 days ago, outside our return window",
        ),
    ],
    ids=["cap_lowered", "window_shortened"],
)
def test_that_a_policy_tightened_after_the_ask_hands_the_yes_off_and_refunds_nothing(
    tmp_path: Path, sandbox: Sandbox, old: str, new: str, reason: str, now: str
) -> None:
    brands, conversation = brands_with(tmp_path / "brands"), new_conversation()
    with service(tmp_path, brands) as client:
        assert say(client, conversation, RETURN_1001)["workflows"] == [
            {"name": "returns_refunds", "status": "waiting"}
        ]
        pinned = open_confirmation(client, conversation)
    assert pinned is not None
    assert pinned["pinned"] == {"policy": {"window_days": 365, "refund_cap": "100.00", "currency": "USD"}}
    edit_acme(brands, old, new)
    with service(tmp_path, brands) as client:
        out = say(client, conversation, "yes")
    assert out["handoff"] == {"reason": reason, "unresolved": ["returns_refunds"]}
    assert out["reply"].startswith(
        f"I cannot refund order #1001 myself: our returns policy changed since I asked you, and now {now}."
    )
    assert refunds_of_1001(sandbox) == 0


def test_that_a_policy_change_that_still_allows_the_terms_shown_executes_them(
    tmp_path: Path, sandbox: Sandbox
) -> None:
    brands, conversation = brands_with(tmp_path / "brands"), new_conversation()
    with service(tmp_path, brands) as client:
        say(client, conversation, RETURN_1001)
    edit_acme(brands, "refund_cap: 100.00", "refund_cap: 500.00")
    edit_acme(brands, "window_days: 365", "window_days: 300")
    with service(tmp_path, brands) as client:
        out = say(client, conversation, "yes")
    assert out["workflows"] == [{"name": "returns_refunds", "status": "resolved"}] and out["handoff"] is None
    assert "I have refunded 61.00 USD for order #1001" in out["reply"]
    assert refunds_of_1001(sandbox) == 1


def test_that_a_workflow_disabled_after_the_ask_hands_the_yes_to_a_person(
    tmp_path: Path, sandbox: Sandbox
) -> None:
    brands, conversation = brands_with(tmp_path / "brands"), new_conversation()
    with service(tmp_path, brands) as client:
        asked = say(client, conversation, "I want to cancel order 1002")
    assert asked["workflows"] == [{"name": "cancel_order", "status": "waiting"}]
    edit_acme(brands, "address_change, cancel_order, exchange_item, handoff]", "address_change, handoff]")
    with service(tmp_path, brands) as client:
        out = say(client, conversation, "yes")
    assert out["handoff"] == {"reason": "not_enabled", "unresolved": ["cancel_order"]}
    state = sandbox.admin("commerce", "GET", "state").json()["shops"]["acme"]
    assert next(o for o in state["orders"] if o["name"] == "#1002")["cancelled_at"] is None


def test_that_a_retention_offer_made_is_honoured_after_the_brand_drops_it(
    tmp_path: Path, sandbox: Sandbox
) -> None:
    brands, conversation = brands_with(tmp_path / "brands"), new_conversation()
    with service(tmp_path, brands) as client:
        offered = say(client, conversation, "please cancel my subscription sub_501")
    assert "50% off your next two deliveries" in offered["reply"]
    text = (brands / "acme.yaml").read_text(encoding="utf-8")
    start = text.index("  retention_offer:")
    end = text.index("  cancellation_reason:")
    (brands / "acme.yaml").write_text(text[:start] + text[end:], encoding="utf-8")  # no offer any more
    with service(tmp_path, brands) as client:
        out = say(client, conversation, "I'll take the offer")
        runs = client.get(f"/v1/conversations/{conversation}", headers=ACME).json()["runs"]
    assert out["handoff"] == {"reason": "retention_offer_accepted", "unresolved": ["cancel_subscription"]}
    assert [r["status"] for r in runs if r["workflow"] == "cancel_subscription"] == ["waiting", "handed_off"]
    assert cancellations_of_501(sandbox) == 0
