"""`langgraph dev` serves the graph `langgraph.json` names, with our context and its own persistence.

The server runs as a subprocess against real sandbox servers of its own, for a brands folder holding
the repository's brands and the one docs/add-a-brand.md adds (`SUPPORT_BRANDS_DIR`, as `make studio`
hands it on). It runs in a temporary directory, because its in-memory runtime writes
`.langgraph_api/` into its working directory; the config handed to it is the repo's `langgraph.json`
with graph paths made absolute, as `langgraph dev` resolves them against its working directory.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from langgraph_sdk import get_client

from launch.studio import HOST, OFFLINE_ENV, REPO, langgraph_dev_command
from sandbox.brands import read_brands
from state.schema import TurnOutput
from tests.utils.guide import brands_dir_with_guide_brand, guide_brand
from tests.utils.sandbox import Sandbox, sandbox_servers

pytestmark = pytest.mark.slow

STARTUP_TIMEOUT_S = 20.0
ALICE_CONTEXT = {
    "brand_id": "acme",
    "customer_id": "cus_alice",
    "customer_email": "alice@example.com",
    "customer_verified": True,  # signed in: her cancellation may run
}
ANSI_COLOUR = re.compile(r"\x1b\[[0-9;]*m")
ORDER_1001 = (
    "Order #1001: payment paid; fulfilment fulfilled; shipped with UPS, tracking number "
    "1Z999AA10123456784, shipment status in transit.\n"
    'UPS tracking 1Z999AA10123456784: in transit. Last event: "Arrived at Facility" at Scarborough, '
    "ME, US on 2026-11-12 06:40 (UTC-05:00). Estimated delivery: 2026-11-13."
)
SUB_501 = (
    "Subscription sub_501 (Coffee Club): status active, 29.00 every 1 month, next charge 2026-12-01. "
    "Before you go: we can give you 50% off your next two deliveries if you stay (the discount applies to "
    "the next two charges, then the usual price resumes; you can cancel any time). Would you like that "
    "instead, or shall I cancel?"
)


@dataclass(frozen=True)
class Studio:
    url: str
    log: Path


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def config_outside_repo(workdir: Path) -> Path:
    """The repo's `langgraph.json`, its `./` graph paths made absolute, written into `workdir`."""
    config = json.loads((REPO / "langgraph.json").read_text())
    for graph_id, spec in config["graphs"].items():
        path, _, variable = spec.rpartition(":")
        if path.startswith("."):
            config["graphs"][graph_id] = f"{(REPO / path).resolve()}:{variable}"
    target = workdir / "langgraph.json"
    target.write_text(json.dumps(config))
    return target


def read_log(log: Path) -> str:
    return log.read_text(errors="replace")  # the server may be mid-way through a multi-byte character


def server_env(sandbox: Sandbox, brands_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LANGSMITH_", "LANGCHAIN_", "SUPPORT_"))}
    env.update(sandbox.env(), SUPPORT_BRANDS_DIR=str(brands_dir))
    # The server must import this checkout's packages, whatever the editable install points at.
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))
    return {**env, **OFFLINE_ENV}


def wait_until_ok(proc: subprocess.Popen[bytes], url: str, log: Path) -> None:
    """Poll `/ok` until the server answers; fail at once if it exits or moves to another port."""
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if "already in use" in read_log(log):
            pytest.fail(f"langgraph dev did not bind {url}:\n{read_log(log)[-4000:]}")
        try:
            if httpx.get(f"{url}/ok", timeout=1).json() == {"ok": True, "services": {}}:
                return
        except (httpx.TransportError, ValueError):  # not up yet, or not our server on that port
            pass
        try:
            code = proc.wait(timeout=0.1)  # the poll interval, ending early if the server died
        except subprocess.TimeoutExpired:
            continue
        pytest.fail(f"langgraph dev exited with {code}:\n{read_log(log)[-4000:]}")
    pytest.fail(f"langgraph dev did not answer {url}/ok in {STARTUP_TIMEOUT_S} s:\n{read_log(log)[-4000:]}")


def stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop the server's whole process group: SIGTERM, then SIGKILL if it lingers."""
    if proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):  # it may exit between the poll and the signal
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=5)


@pytest.fixture(scope="module")
def studio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Studio]:
    workdir = tmp_path_factory.mktemp("langgraph-dev")
    brands_dir = brands_dir_with_guide_brand(workdir / "brands")
    port = free_port()
    url = f"http://{HOST}:{port}"
    log = workdir / "langgraph-dev.log"
    with sandbox_servers(read_brands(brands_dir)) as sandbox, log.open("wb") as out:
        proc = subprocess.Popen(
            langgraph_dev_command(port, config_outside_repo(workdir)),
            cwd=workdir,
            env=server_env(sandbox, brands_dir),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            wait_until_ok(proc, url, log)
            yield Studio(url, log)
        finally:
            stop(proc)


def test_that_langgraph_dev_binds_the_port_it_was_given(studio: Studio) -> None:
    output = ANSI_COLOUR.sub("", read_log(studio.log))
    assert "already in use" not in output
    assert re.findall(r"API: (\S+)", output) == [studio.url]


async def test_that_langgraph_dev_runs_a_turn_with_our_context_and_keeps_the_thread_for_turn_two(
    studio: Studio,
) -> None:
    async with get_client(url=studio.url, timeout=20) as client:
        thread = await client.threads.create()
        first = await client.runs.wait(
            thread["thread_id"],
            "support",
            input={"message_id": "m1", "inbound_text": "where is my order 1001?"},
            context=ALICE_CONTEXT,
        )
        second = await client.runs.wait(
            thread["thread_id"],
            "support",
            input={"message_id": "m2", "inbound_text": "please cancel my subscription sub_501"},
            context=ALICE_CONTEXT,
        )
    assert isinstance(first, dict) and isinstance(second, dict)
    assert first["reply"] == ORDER_1001
    assert first["runs"]["order_status"]["status"] == "resolved"
    assert second["turn"] == 2
    assert second["reply"] == SUB_501
    assert {name: (run["status"], run["turn"]) for name, run in second["runs"].items()} == {
        "order_status": ("resolved", 1),
        "cancel_subscription": ("waiting", 2),
    }


async def test_that_langgraph_dev_serves_a_brand_of_the_brands_dir_and_refuses_one_outside_it(
    studio: Studio,
) -> None:
    brand = guide_brand()
    customer = brand.body["customer"]
    context = {"brand_id": brand.brand_id, "customer_id": customer["id"], "customer_email": customer["email"]}
    async with get_client(url=studio.url, timeout=20) as client:
        thread = await client.threads.create()
        served = await client.runs.wait(
            thread["thread_id"],
            "support",
            input={"message_id": "m1", "inbound_text": brand.body["text"]},
            context=context,
        )
        unknown = await client.runs.wait(
            thread["thread_id"],
            "support",
            input={"message_id": "m2", "inbound_text": brand.body["text"]},
            context={**context, "brand_id": "hooli"},
            raise_error=False,
        )
    assert isinstance(served, dict) and isinstance(unknown, dict)
    assert served["reply"] == brand.reply
    assert unknown["__error__"]["error"] == "BrandConfigError"  # the server keeps the message to its log
    assert f"brand_id: unknown brand 'hooli' (known: acme, globex, {brand.brand_id})" in read_log(studio.log)


async def test_that_studio_gets_the_graphs_input_output_and_context_schemas(studio: Studio) -> None:
    async with get_client(url=studio.url, timeout=20) as client:
        (assistant,) = await client.assistants.search(graph_id="support")
        schemas = await client.assistants.get_schemas(assistant["assistant_id"])
    turn_input, turn_output, context = (
        schemas["input_schema"], schemas["output_schema"], schemas["context_schema"]
    )  # fmt: skip
    assert turn_input is not None and turn_output is not None and context is not None
    assert (sorted(turn_input["properties"]), sorted(turn_input["required"])) == (
        ["acknowledge", "awaiting", "inbound_text", "message_id", "owner"],
        ["inbound_text", "message_id"],
    )  # who owns the conversation is optional: a run without it is the AI's
    assert sorted(turn_output["properties"]) == sorted(TurnOutput.__annotations__)
    assert sorted(context["properties"]) == ["brand_id", "customer_email", "customer_id", "customer_verified"]
    assert context["required"] == ["brand_id"]


async def test_that_studios_xray_graph_draws_each_workflows_step_agent_tools_and_decide(
    studio: Studio,
) -> None:
    async with get_client(url=studio.url, timeout=20) as client:
        (assistant,) = await client.assistants.search(graph_id="support")
        drawn = await client.assistants.get_graph(assistant["assistant_id"], xray=True)
    nodes = {n["id"] for n in drawn["nodes"]}
    edges = {(e["source"], e["target"], bool(e.get("conditional"))) for e in drawn["edges"]}
    for name in ("cancel_subscription", "returns_refunds", "address_change"):
        assert {f"{name}:{n}" for n in ("step", "agent", "tools", "decide")} <= nodes
        assert (f"{name}:step", f"{name}:tools", True) in edges  # the code's own calls (a lookup, the write)
        assert (f"{name}:agent", f"{name}:decide", True) in edges
        assert (f"{name}:tools", f"{name}:agent", True) in edges
    assert {"order_status:agent", "order_status:tools", "order_status:decide"} <= nodes
    assert "order_status:step" not in nodes  # no policy, no step
