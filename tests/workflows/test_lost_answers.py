"""A write whose answer is lost after the store applied it is read back, never sent again blindly nor
reported as failed; when reading back cannot tell, the customer hears that it is being checked.

The store's faults apply the write and then lose its answer: held back past the client's timeout
(`delay`) or cut off with the connection closed (`drop`). The brand's turn deadline is short here
(6 s), which also bounds the write's wait: the test shows both at once.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from config.settings import Settings
from state.handoffs import CLOSINGS, why
from tests.utils.conversations import new_conversation, say
from tests.utils.sandbox import Sandbox
from tests.utils.writes import FLOWS, WriteFlow, brands_with


@pytest.fixture
def settings(tmp_path: Path, sandbox: Sandbox) -> Settings:
    """SQLite only: reading back happens in the tools, whatever the store of the checkpoints (the
    kill -9 cases in tests/api/test_crash_during_write.py run on both)."""
    return Settings(env="dev", database_url=None, data_dir=tmp_path)


@pytest.fixture
def short_turns(settings: Settings, tmp_path: Path) -> Iterator[TestClient]:
    brands = brands_with(tmp_path / "brands", turn_deadline_s="6")
    with TestClient(create_app(settings.model_copy(update={"brands_dir": brands}))) as client:
        yield client


def confirm(client: TestClient, flow: WriteFlow, conversation: str) -> dict:
    for text in flow.asks:
        out = say(client, conversation, text)
    assert out["workflows"] == [{"name": flow.workflow, "status": "waiting"}], out
    return say(client, conversation, "yes")


@pytest.mark.parametrize("answer", ["delay", "drop"])
@pytest.mark.parametrize("flow", FLOWS, ids=lambda f: f.name)
def test_that_a_write_applied_but_whose_answer_was_lost_is_read_back_and_reported_done_once(
    short_turns: TestClient, sandbox: Sandbox, flow: WriteFlow, answer: str
) -> None:
    conversation = new_conversation()
    # every attempt of the write loses its answer (a PUT is idempotent and may be sent again)
    sandbox.lose_answer(flow.method, flow.path, answer, delay_ms=3000, times=3)
    out = confirm(short_turns, flow, conversation)
    assert out["workflows"] == [{"name": flow.workflow, "status": "resolved"}]
    assert out["handoff"] is None
    assert flow.done in out["reply"]
    assert flow.applied(sandbox) == 1
    sent = flow.requests(sandbox)
    assert {r.get("fault") for r in sent} == {answer}  # every answer the client waited for was lost
    assert len({r["headers"]["idempotency-key"] for r in sent}) == 1
    if flow.method == "POST":
        assert len(sent) == 1  # a POST is never sent twice


@pytest.mark.parametrize("flow", FLOWS, ids=lambda f: f.name)
def test_that_a_write_the_store_never_applied_is_reported_as_being_checked_not_as_failed(
    short_turns: TestClient, sandbox: Sandbox, flow: WriteFlow
) -> None:
    conversation = new_conversation()
    sandbox.lose_answer(flow.method, flow.path, "unavailable", times=3)  # 503, and nothing applied
    out = confirm(short_turns, flow, conversation)
    assert flow.applied(sandbox) == 0
    assert out["handoff"] == {"reason": "write_unconfirmed", "unresolved": [flow.workflow]}
    what = {
        "refund": "refund",
        "cancel": "cancellation",
        "address": "address change",
        "order_cancel": "cancellation",
    }[flow.name]
    assert out["reply"] == f"{why('write_unconfirmed', what=what)} {CLOSINGS['write_unconfirmed']}"
