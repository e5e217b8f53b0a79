"""kill -9 of the API after the store applied a confirmed write, before its answer came back; the
client's retry of the same message: exactly one write in the store, and a reply that says it was done.

The store applies the write and holds its answer back (`delay`), so the API is killed with the write
applied and unanswered. The retried turn runs again from the last checkpoint: the write tool finds
its marker on the store's record before writing (`tools.readback`), sends nothing, and says so.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.utils.apiproc import ApiProcess, wait_until
from tests.utils.conversations import ACME, ALICE, new_conversation
from tests.utils.sandbox import Sandbox
from tests.utils.writes import FLOWS, WriteFlow, brands_with

CASES = [("refund", "sqlite"), ("refund", "postgres"), ("cancel", "postgres"), ("address", "sqlite")]
"""Each write on a store at least once, the refund on both: a process start costs seconds."""


@pytest.fixture
def api(request: pytest.FixtureRequest, sandbox: Sandbox, tmp_path: Path, store: str) -> Iterator[ApiProcess]:
    url = request.getfixturevalue("postgres_url") if store == "postgres" else None
    brands = brands_with(tmp_path / "brands")
    proc = ApiProcess(tmp_path / "api", url, env={"SUPPORT_BRANDS_DIR": str(brands)})
    try:
        yield proc.start()
    finally:
        proc.stop()


def post(api: ApiProcess, conversation: str, message_id: str, text: str) -> dict:
    body = {"message_id": message_id, "text": text, "customer": ALICE}
    url = f"{api.url}/v1/conversations/{conversation}/messages"
    response = httpx.post(url, json=body, headers=ACME, timeout=40)
    assert response.status_code == 200, response.text
    return response.json()


def post_until_killed(api: ApiProcess, conversation: str, message_id: str) -> None:
    try:
        post(api, conversation, message_id, "yes")
    except httpx.TransportError:
        pass  # the server died under this request, as the test intends


@pytest.mark.parametrize(
    ("flow", "store"),
    [(next(f for f in FLOWS if f.name == n), s) for n, s in CASES],
    ids=[f"{n}-{s}" for n, s in CASES],
)
def test_that_a_write_applied_before_a_kill_9_is_written_once_and_reported_done_on_the_retry(
    api: ApiProcess, sandbox: Sandbox, flow: WriteFlow, store: str
) -> None:
    del store  # chose the database of `api`
    conversation = new_conversation()
    for n, text in enumerate(flow.asks, 1):
        post(api, conversation, f"m{n}", text)
    yes = f"m{len(flow.asks) + 1}"
    sandbox.lose_answer(flow.method, flow.path, "delay", delay_ms=30_000)
    in_flight = threading.Thread(target=post_until_killed, args=(api, conversation, yes), daemon=True)
    in_flight.start()
    assert wait_until(lambda: flow.applied(sandbox) == 1, 15)  # applied; its answer is held back
    api.kill9()
    in_flight.join(timeout=10)
    api.start()

    retried = post(api, conversation, yes, "yes")  # the client's retry of the same message
    assert retried["workflows"] == [{"name": flow.workflow, "status": "resolved"}]
    assert retried["handoff"] is None
    assert flow.done in retried["reply"]
    assert flow.applied(sandbox) == 1
    assert len(flow.requests(sandbox)) == 1  # the retry found the write and sent nothing
