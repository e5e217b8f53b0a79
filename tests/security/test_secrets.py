"""Secrets never leave the tool call (ARCHITECTURE invariant 6).

The brands' credentials are set to distinctive values that sandbox servers started here accept
(the dev tokens no longer work, so every successful lookup proves the secret was really sent),
turns run over HTTP for both brands, then every stored byte is scanned: each database table
(checkpoints and their writes, conversation store, ledgers), each checkpoint through the app's
checkpointer, each request the sandbox model recorded, and the captured logs at DEBUG.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import ExitStack

import pytest
from fastapi.testclient import TestClient

from checkpoint.db import SqliteDatabase
from config.settings import get_settings
from sandbox.carriers import aggregator, dhl, fedex, ups, usps
from sandbox.commerce_server import create_app as create_commerce
from sandbox.serve import ServerThread
from tests.utils.conversations import ALICE, BOB, GLOBEX, new_conversation, say
from tests.utils.sandbox import Sandbox
from tools.carriers.auth import clear_tokens

MODEL_KEY = "sk-model-S3CRET-0f9e8d7c6b5a"


def secret(name: str) -> str:
    return f"S3CRET-{name.lower().replace('_', '-')}-7a1c"


BRANDS = ("acme", "globex")
COMMERCE = {
    f"{b}.{system}": f"{b.upper()}_{system.upper()}_TOKEN"
    for b in BRANDS
    for system in ("shopify", "recharge")
}
OAUTH = {"ups": ups, "fedex": fedex, "usps": usps}
KEYED = {"dhl": dhl}
SECRETS = {
    **{env: secret(env) for env in COMMERCE.values()},
    **{f"{b.upper()}_{c.upper()}_CLIENT_SECRET": secret(f"{b}_{c}_secret") for b in BRANDS for c in OAUTH},
    **{
        f"{b.upper()}_{c.upper()}_API_KEY": secret(f"{b}_{c}_key")
        for b in BRANDS
        for c in (*KEYED, "aggregator")
    },
}
"""Env var -> its secret value (client ids are identifiers, not secrets: they are set but not scanned)."""


@pytest.fixture
def secret_world(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Sandbox commerce and carriers that accept only the secret values, and the env that names them."""
    for env, value in SECRETS.items():
        monkeypatch.setenv(env, value)
    ids = {f"{b.upper()}_{c.upper()}_CLIENT_ID": f"{b}-{c}-client-id" for b in BRANDS for c in OAUTH}
    for env, value in ids.items():
        monkeypatch.setenv(env, value)
    with ExitStack() as stack:
        commerce = stack.enter_context(
            ServerThread(create_commerce(tokens={name: SECRETS[env] for name, env in COMMERCE.items()}))
        )
        monkeypatch.setenv("SUPPORT_COMMERCE_URL", commerce.url)
        for name, module in OAUTH.items():
            accounts = {
                ids[f"{b.upper()}_{name.upper()}_CLIENT_ID"]: SECRETS[
                    f"{b.upper()}_{name.upper()}_CLIENT_SECRET"
                ]
                for b in BRANDS
            }
            server = stack.enter_context(ServerThread(module.create_app(accounts)))
            monkeypatch.setenv(f"SUPPORT_CARRIER_{name.upper()}_URL", server.url)
        for name, module in {**KEYED, "aggregator": aggregator}.items():
            accounts = {b: SECRETS[f"{b.upper()}_{name.upper()}_API_KEY"] for b in BRANDS}
            server = stack.enter_context(ServerThread(module.create_app(accounts)))
            variable = (
                "SUPPORT_AGGREGATOR_URL" if name == "aggregator" else f"SUPPORT_CARRIER_{name.upper()}_URL"
            )
            monkeypatch.setenv(variable, server.url)
        monkeypatch.setenv("SUPPORT_MODEL_API_KEY", MODEL_KEY)
        get_settings.cache_clear()
        clear_tokens()
        yield
    monkeypatch.undo()
    get_settings.cache_clear()
    clear_tokens()


async def _database_rows(client: TestClient) -> dict[str, str]:
    db = client.app.state.service.persistence.db  # type: ignore[attr-defined]
    if isinstance(db, SqliteDatabase):
        tables = [r[0] for r in await db.fetchall("SELECT name FROM sqlite_master WHERE type = 'table'")]
    else:
        sql = "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
        tables = [r[0] for r in await db.fetchall(sql)]
    return {table: repr(await db.fetchall(f'SELECT * FROM "{table}"')) for table in tables}


async def _checkpoints(client: TestClient) -> list[str]:
    saver = client.app.state.service.persistence.checkpointer  # type: ignore[attr-defined]
    return [repr((t.config, t.checkpoint, t.metadata, t.pending_writes)) async for t in saver.alist(None)]


def _leaks(where: str, text: str, values: list[str]) -> list[str]:
    return [f"{where}: {value}" for value in values if value in text]


def test_that_no_credential_reaches_a_checkpoint_a_table_a_model_request_or_a_log_line(
    secret_world: None, client: TestClient, sandbox: Sandbox, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    order = say(client, new_conversation(), "where is my order 1001?", customer=ALICE)
    subscription_conversation = new_conversation()
    subscription = say(client, subscription_conversation, "please cancel my subscription sub_501")
    carried_on = say(client, subscription_conversation, "no, just tell me about order 1002")
    globex = say(client, new_conversation(), "where is my order 2001?", headers=GLOBEX, customer=BOB)

    # Every lookup succeeded with the secret credentials (the dev ones are refused by these servers).
    assert "UPS tracking 1Z999AA10123456784: in transit." in order["reply"]
    assert subscription["reply"].startswith("Subscription sub_501 (Coffee Club): status active")
    assert "Order #1002: payment paid" in carried_on["reply"]
    assert globex["reply"].startswith(
        "Order #2001: payment paid; fulfilment fulfilled; shipped with Royal Mail"
    )
    assert "in transit" in globex["reply"].split("\n", 1)[1]

    values = [*SECRETS.values(), MODEL_KEY]
    rows = client.portal.call(_database_rows, client)
    checkpoints = client.portal.call(_checkpoints, client)
    requests = sandbox.model_requests()
    assert {"checkpoints", "conversation_messages", "conversation_turns"} <= set(rows)
    assert len(checkpoints) >= 3  # one per thread at least (durability="exit", pruned)
    assert len(requests) >= 6
    leaks = [
        *(leak for table, text in rows.items() for leak in _leaks(f"table {table}", text, values)),
        *(leak for i, text in enumerate(checkpoints) for leak in _leaks(f"checkpoint {i}", text, values)),
        *(leak for r in requests for leak in _leaks(f"model request {r['index']}", json.dumps(r), values)),
        *_leaks("logs", caplog.text, values),
        *_leaks("log args", repr([r.args for r in caplog.records]), values),
    ]
    print(
        f"secret scan: {len(values)} secrets over {len(rows)} tables, {len(checkpoints)} checkpoints, "
        f"{len(requests)} model requests, {len(caplog.records)} log records: {len(leaks)} found"
    )
    assert leaks == []
    assert "carrier_lookups" in rows and "Royal Mail" not in values  # the ledger was scanned too
