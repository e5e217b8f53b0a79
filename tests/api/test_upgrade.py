"""Upgrade safety: a data directory written by older code loads, and its open asks complete, today.

`tests/fixtures/upgrade/before_wave2/` was written once by `make_fixture.py` on the commit its
`fixture.json` names (`written_by`, before wave 2's workflow refactor) and is never rewritten. It
holds the SQLite file `open_service` writes under `DATA_DIR` (checkpoints, conversation store,
ledgers) with two acme conversations of alice, each waiting on her answer: a refund of order #1001
asked to be confirmed, and a cancel of sub_501 after the retention offer. Each test opens the
service on a copy, with the real sandbox servers, and sends her answer over HTTP: a refactor that
can no longer read the old state (a facts key renamed, a thread id or a message type moved) fails here.

The clock: the sandbox seed's dates are fixed (order #1001 shipped 2026-11-11), so its 30-day return
window is fixed too and closes for the real clock on 2026-12-11. The customer's yes is therefore
given as it would be in life, a few minutes after the ask (`written_at` + 10 min), on the returns
policy's clock, the one seam where time enters it; the test checks that this moment is inside the
window of the order the sandbox holds at test time.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from brands import default_brands
from tests.utils.conversations import ACME, ALICE, say
from tests.utils.sandbox import Sandbox
from tests.utils.upgrade import FIXTURES, app_on_copy, record_of
from tests.workflows import test_cancel_subscription as cancel
from tests.workflows import test_returns_refunds as refund
from workflows import returns_refunds

FIXTURE = FIXTURES / "before_wave2"
RECORD: dict[str, Any] = record_of("before_wave2")
REFUND = RECORD["conversations"]["upgrade-refund"]
CANCEL = RECORD["conversations"]["upgrade-cancel"]
ANSWERED_AT = datetime.fromisoformat(RECORD["written_at"]) + timedelta(minutes=10)
"""When alice answers the refund ask: ten minutes after the fixture asked it."""


@pytest.fixture
def old_service(tmp_path: Path, sandbox: Sandbox) -> Iterator[TestClient]:
    """The app of today on a copy of the old data directory (SQLite), with the sandbox servers."""
    del sandbox  # the servers must be up and the environment set
    with app_on_copy("before_wave2", tmp_path) as client:
        yield client


def read(client: TestClient, conversation: str) -> dict[str, Any]:
    response = client.get(f"/v1/conversations/{conversation}", headers=ACME)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    body["messages"] = [{"author": m["author"], "text": m["text"]} for m in body["messages"]]
    return body


def test_that_the_fixture_is_what_its_record_says() -> None:
    recorded = {k: v for k, v in ALICE.items() if k != "verified"}  # recorded before `customer.verified`
    assert (RECORD["brand"], RECORD["customer"]) == ("acme", recorded)
    assert REFUND["question"].endswith(
        "Please confirm: shall I refund 61.00 USD for order #1001? Reply yes to confirm."
    )
    assert [t["message_id"] for t in REFUND["turns"]] == ["m-1", "m-2"]
    assert CANCEL["question"] == cancel.OFFER
    files = {p.name: p.stat().st_size for p in (FIXTURE / RECORD["data_dir"]).iterdir()}
    assert files == RECORD["files"]  # the data directory as written: one vacuumed SQLite file


def test_that_an_open_refund_confirmation_from_the_old_code_is_refunded_once_on_the_customers_yes(
    old_service: TestClient, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    store_order = refund.order(sandbox)
    shipped = datetime.fromisoformat(store_order["fulfillments"][0]["created_at"])
    window = timedelta(days=default_brands()["acme"].returns.window_days)
    assert (store_order["financial_status"], store_order["total_price"], store_order["refunds"]) == (
        "paid",
        "61.00",
        [],
    )
    assert shipped < ANSWERED_AT < shipped + window  # still refundable when she answers
    monkeypatch.setattr(returns_refunds.WORKFLOW.policy, "clock", lambda: ANSWERED_AT)

    before = read(old_service, "upgrade-refund")
    assert before["messages"] == REFUND["messages"]
    assert (before["workflows"], before["handoff"]) == (
        [{"name": "returns_refunds", "status": "waiting"}],
        None,
    )

    yes = say(old_service, "upgrade-refund", "yes, please refund it", message_id="m-3")
    assert (yes["reply"], yes["workflows"], yes["handoff"], yes["segment"]) == (
        refund.DONE,
        [{"name": "returns_refunds", "status": "resolved"}],
        None,
        "ai_only",
    )
    assert [i["name"] for i in yes["intents"]] == ["returns_refunds"]
    assert refund.refunds(sandbox) == [("refunded", ["61.00"])]
    assert len(refund.refund_writes(sandbox)) == 1

    assert say(old_service, "upgrade-refund", "yes, please refund it", message_id="m-3") == yes
    assert refund.refunds(sandbox) == [("refunded", ["61.00"])]
    assert len(refund.refund_writes(sandbox)) == 1

    after = read(old_service, "upgrade-refund")
    assert after["messages"] == [
        *REFUND["messages"],
        {"author": "customer", "text": "yes, please refund it"},
        {"author": "ai", "text": refund.DONE},
    ]
    assert after["workflows"] == [{"name": "returns_refunds", "status": "resolved"}]


def test_that_a_cancel_waiting_on_the_old_codes_retention_offer_takes_its_next_turns(
    old_service: TestClient, sandbox: Sandbox
) -> None:
    assert cancel.subscription(sandbox, "sub_501")["status"] == "active"
    before = read(old_service, "upgrade-cancel")
    assert before["messages"] == CANCEL["messages"]
    assert before["workflows"] == [{"name": "cancel_subscription", "status": "waiting"}]

    declined = say(old_service, "upgrade-cancel", "no thanks, I don't want the offer", message_id="m-2")
    assert (declined["reply"], declined["workflows"]) == (
        cancel.CONFIRM,
        [{"name": "cancel_subscription", "status": "waiting"}],
    )
    done = say(old_service, "upgrade-cancel", "yes, cancel it", message_id="m-3")
    assert (done["reply"], done["workflows"], done["handoff"]) == (
        cancel.DONE,
        [{"name": "cancel_subscription", "status": "resolved"}],
        None,
    )
    assert cancel.subscription(sandbox, "sub_501")["status"] == "cancelled"
    assert len(cancel.cancel_requests(sandbox)) == 1
    assert [m["author"] for m in read(old_service, "upgrade-cancel")["messages"]] == ["customer", "ai"] * 3
