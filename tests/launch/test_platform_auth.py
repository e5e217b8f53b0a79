"""`langgraph.platform.json` on a real LangGraph server (`langgraph dev`, as LangGraph Platform and
`langgraph up` load it): the API key fixes the brand through the custom auth handler, never the
`brand_id` a caller puts in the context; no key is 401; a brand cannot read another brand's thread."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator

import httpx
import pytest
from langgraph_sdk import get_client

from launch.studio import REPO, langgraph_dev_command
from tests.test_studio import Studio, free_port, server_env, stop, wait_until_ok
from tests.utils.sandbox import sandbox_servers

pytestmark = pytest.mark.slow

ACME_KEY = {"Authorization": "Bearer acme-dev-key"}
GLOBEX_KEY = {"Authorization": "Bearer globex-dev-key"}
TURN = {"message_id": "m1", "inbound_text": "where is my order 1001?"}


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Studio]:
    workdir = tmp_path_factory.mktemp("langgraph-platform")
    config = json.loads((REPO / "langgraph.platform.json").read_text())
    for key, spec in [
        *((f"graphs.{g}", s) for g, s in config["graphs"].items()),
        ("auth", config["auth"]["path"]),
    ]:
        path, _, variable = spec.rpartition(":")
        absolute = f"{(REPO / path).resolve()}:{variable}"
        if key == "auth":
            config["auth"]["path"] = absolute
        else:
            config["graphs"][key.split(".", 1)[1]] = absolute
    (workdir / "langgraph.json").write_text(json.dumps(config))
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = workdir / "langgraph-dev.log"
    with sandbox_servers() as sandbox, log.open("wb") as out:
        env = {**server_env(sandbox, REPO / "brands"), "SUPPORT_ENV": "dev"}
        proc = subprocess.Popen(
            langgraph_dev_command(port, workdir / "langgraph.json"),
            cwd=workdir, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        try:
            wait_until_ok(proc, url, log)
            yield Studio(url, log)
        finally:
            stop(proc)


async def _run(url: str, headers: dict[str, str], context_brand: str) -> tuple[str, dict]:
    async with get_client(url=url, headers=headers, timeout=30) as client:
        thread = await client.threads.create()
        context = {
            "brand_id": context_brand,
            "customer_id": "cus_alice",
            "customer_email": "alice@example.com",
        }
        out = await client.runs.wait(thread["thread_id"], "support", input=TURN, context=context)
    assert isinstance(out, dict)
    return thread["thread_id"], out


async def test_that_the_key_not_the_context_fixes_the_brand_on_the_langgraph_server(platform: Studio) -> None:
    assert httpx.post(f"{platform.url}/threads", json={}).status_code == 401
    assert (
        httpx.post(f"{platform.url}/threads", json={}, headers={"Authorization": "Bearer nope"}).status_code
        == 401
    )

    acme_thread, as_acme = await _run(platform.url, ACME_KEY, "acme")
    _, acme_claiming_globex = await _run(platform.url, ACME_KEY, "globex")
    _, as_globex = await _run(platform.url, GLOBEX_KEY, "globex")
    _, globex_claiming_acme = await _run(platform.url, GLOBEX_KEY, "acme")
    assert as_acme["reply"] != as_globex["reply"]  # the two brands answer differently
    assert acme_claiming_globex["reply"] == as_acme["reply"]
    assert globex_claiming_acme["reply"] == as_globex["reply"]

    seen = httpx.get(f"{platform.url}/threads/{acme_thread}", headers=GLOBEX_KEY)
    assert seen.status_code == 404
    assert httpx.get(f"{platform.url}/threads/{acme_thread}", headers=ACME_KEY).status_code == 200
