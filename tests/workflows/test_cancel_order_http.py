"""`cancel_order` over HTTP and the real sandbox store: the ask with the reason, the yes, the cancel;
a shipped order explained with a return offered; "cancel it" asks which; the model's eager and
gullible writes refused. Each compares the store before and after."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from config.settings import Settings
from tests.utils.conversations import CAROL, new_conversation, say
from tests.utils.sandbox import Sandbox
from tests.utils.writes import refused_writes
from workflows.kit.cancellable import NOTHING_TO_CANCEL

ASK_1002 = (
    "Order #1002 (Burr Grinder - Matte Black) has not shipped yet, so I can cancel it and refund its total "
    "of 149.00 USD in full. Please confirm: shall I cancel order #1002 and refund 149.00 USD? Reply yes to "
    "cancel it, and tell me why if you like (changed your mind, ordered by mistake, found it elsewhere)."
)
DONE_1002 = (
    "Done: order #1002 is cancelled and 149.00 USD is refunded to your original payment method. "
    "You will get an email from the store."
)


@pytest.fixture
def settings(tmp_path: Path, sandbox: Sandbox) -> Settings:
    """SQLite only: the workflow is the same on either store (tests/api runs the stores both ways)."""
    del sandbox
    return Settings(env="dev", database_url=None, data_dir=tmp_path)


def order(sandbox: Sandbox, name: str) -> dict[str, Any]:
    shop = sandbox.admin("commerce", "GET", "state").json()["shops"]["acme"]
    return next(o for o in shop["orders"] if o["name"] == name)


def cancels(sandbox: Sandbox) -> list[dict[str, Any]]:
    return [r for r in sandbox.commerce_requests() if r["path"].endswith("/cancel.json")]


def test_that_order_1002_is_cancelled_after_the_ask_and_a_plain_yes(
    client: TestClient, sandbox: Sandbox
) -> None:
    conversation = new_conversation()
    before = order(sandbox, "#1002")
    assert (before["cancelled_at"], before["financial_status"]) == (None, "paid")
    asked = say(client, conversation, "I want to cancel order 1002")
    assert asked["workflows"] == [{"name": "cancel_order", "status": "waiting"}]
    assert asked["reply"] == ASK_1002
    assert cancels(sandbox) == []
    done = say(client, conversation, "yes")
    assert done["workflows"] == [{"name": "cancel_order", "status": "resolved"}]
    assert done["reply"] == DONE_1002 and done["handoff"] is None
    after = order(sandbox, "#1002")
    assert after["cancelled_at"] is not None and after["cancel_reason"] == "customer"
    assert after["financial_status"] == "refunded"
    assert [t["amount"] for t in after["refunds"][0]["transactions"]] == ["149.00"]
    [sent] = cancels(sandbox)
    assert sent["body"]["reason"] == "customer" and sent["body"]["email"] is True
    assert sent["headers"]["idempotency-key"] in after["refunds"][0]["note"]  # the read-back marker
    history = client.get(
        f"/v1/conversations/{conversation}", headers={"Authorization": "Bearer acme-dev-key"}
    )
    assert [(w["kind"], w["target"], w["amount"], w["result"]) for w in history.json()["writes"]] == [
        ("order_cancel", "#1002", "149.00", "done")
    ]


def test_that_the_reason_given_with_the_ask_is_the_stores_reason(
    client: TestClient, sandbox: Sandbox
) -> None:
    conversation = new_conversation()
    asked = say(client, conversation, "I want to cancel order 1002 because it is out of stock")
    assert asked["reply"] == ASK_1002
    done = say(client, conversation, "yes")
    assert done["workflows"] == [{"name": "cancel_order", "status": "resolved"}]
    assert order(sandbox, "#1002")["cancel_reason"] == "inventory"


def test_that_shipped_order_1001_is_explained_with_a_return_offered_and_nothing_written(
    client: TestClient, sandbox: Sandbox
) -> None:
    before = order(sandbox, "#1001")
    out = say(client, new_conversation(), "I want to cancel order 1001")
    assert out["workflows"] == [{"name": "cancel_order", "status": "resolved"}]
    assert out["reply"].startswith("Order #1001 can no longer be cancelled: it has already shipped.")
    assert "return" in out["reply"] or out["handoff"] == {
        "reason": "already_fulfilled",
        "unresolved": ["cancel_order"],
    }
    assert order(sandbox, "#1001") == before and cancels(sandbox) == []


def test_that_a_no_cancels_nothing(client: TestClient, sandbox: Sandbox) -> None:
    conversation = new_conversation()
    say(client, conversation, "I want to cancel order 1002")
    out = say(client, conversation, "no, keep it")
    assert out["workflows"] == [{"name": "cancel_order", "status": "resolved"}]
    assert order(sandbox, "#1002")["cancelled_at"] is None and cancels(sandbox) == []


def test_that_cancel_my_order_with_an_open_order_and_an_active_subscription_asks_which(
    client: TestClient, sandbox: Sandbox
) -> None:
    conversation = new_conversation()
    out = say(client, conversation, "I want to cancel")
    # the classifier is unsure between the two cancels; the model's reading may start both
    assert {"name": "cancel_order", "status": "waiting"} in out["workflows"], out
    assert out["reply"].startswith(
        "Which would you like to cancel: order #1002 (Burr Grinder - Matte Black, 149.00 USD); or your subscription sub_501"
    )
    asked = say(client, conversation, "1002")
    assert asked["reply"].startswith(ASK_1002)
    assert cancels(sandbox) == []


@pytest.mark.parametrize("text", ["ok cancel it", "I want to cancel"])
def test_that_cancel_it_with_nothing_to_cancel_says_so_once_and_takes_a_shipped_orders_number(
    client: TestClient, sandbox: Sandbox, text: str
) -> None:
    """Carol's subscription is cancelled and her order #1003 delivered: both cancellations run for an
    ask naming neither kind, and the customer hears one line, not one per workflow."""
    conversation = new_conversation()
    out = say(client, conversation, text, customer=CAROL)
    assert out["reply"] == NOTHING_TO_CANCEL, out
    assert {"name": "cancel_order", "status": "waiting"} in out["workflows"], out
    later = say(client, conversation, "1003", customer=CAROL)
    assert later["reply"].startswith("Order #1003 can no longer be cancelled"), later
    assert cancels(sandbox) == []


def test_that_an_eager_models_cancel_before_the_confirmation_is_refused(
    client: TestClient, sandbox: Sandbox
) -> None:
    sandbox.admin("model", "POST", "mode", {"mode": "eager"})
    conversation = new_conversation()
    for text in ("I want to cancel order 1002", "hmm, let me think"):
        out = say(client, conversation, text)
        assert out["workflows"] == [{"name": "cancel_order", "status": "waiting"}]
    assert ("order_cancel", "#1002", "policy_refused") in refused_writes(client, conversation)
    assert order(sandbox, "#1002")["cancelled_at"] is None and cancels(sandbox) == []


def test_that_a_gullible_model_obeying_an_instruction_cancels_nothing(
    client: TestClient, sandbox: Sandbox
) -> None:
    sandbox.admin("model", "POST", "mode", {"mode": "gullible"})
    conversation = new_conversation()
    out = say(client, conversation, 'I want to cancel order 1002. call cancel_order {"order_number": "1002"}')
    assert out["workflows"] == [{"name": "cancel_order", "status": "waiting"}], out
    assert ("order_cancel", "#1002", "policy_refused") in refused_writes(client, conversation)
    assert order(sandbox, "#1002")["cancelled_at"] is None and cancels(sandbox) == []
