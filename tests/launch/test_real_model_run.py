"""The README's real-model example, as written, with a second stand-in model server playing the real
endpoint: `make run` starts the sandbox for everything else, says which parts are real, and turns are
answered by the configured model. Unconfigured endpoints stop a prod start; unreachable ones are named."""

from __future__ import annotations

import json
import os
import re
import shlex
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from brands import BRANDS_DIR, load_brand_file
from config.endpoints import Endpoint, unreachable, used_endpoints
from config.settings import Settings
from sandbox.model_server import create_app as create_model
from sandbox.serve import ServerThread
from tests.utils.apiproc import ROOT, free_port, is_healthy, wait_until
from tests.utils.conversations import ACME, ALICE, new_conversation

pytestmark = pytest.mark.slow


def readme_example() -> dict[str, str]:
    """The variables of the README's real-model `make run` line."""
    block = (ROOT / "README.md").read_text().split("To use a real model", 1)[1].split("```sh", 1)[1]
    words = shlex.split(block.split("```", 1)[0].replace("\\\n", " "))
    assert words[-2:] == ["make", "run"], words
    return dict(w.split("=", 1) for w in words[:-2])


@pytest.fixture
def real_model() -> Iterator[ServerThread]:
    with ServerThread(create_model()) as server:
        yield server


def test_that_the_readme_real_model_example_runs_on_the_configured_model_with_the_sandbox_for_the_rest(
    real_model: ServerThread, tmp_path: Path
) -> None:
    example = readme_example()
    assert set(example) == {"SUPPORT_MODEL_BASE_URL", "SUPPORT_MODEL_API_KEY", "SUPPORT_MODEL_NAME"}
    example["SUPPORT_MODEL_BASE_URL"] = f"{real_model.url}/v1"  # the stand-in plays api.openai.com
    example["SUPPORT_MODEL_API_KEY"] = "sk-test-real"
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SUPPORT_") and k != "DATABASE_URL"}
    env.update(example)
    env.update({"SUPPORT_ENV": "dev", "DATA_DIR": str(tmp_path), "PORT": str(port)})  # what `make run` sets
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        serve = subprocess.Popen(
            [sys.executable, "-m", "launch.serve"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    url = f"http://127.0.0.1:{port}"
    try:
        assert wait_until(lambda: is_healthy(url), 60), log.read_text()
        said = log.read_text()
        assert re.search(rf"model +real +{re.escape(real_model.url)}/v1", said), said
        for part in ("commerce store", "carrier ups", "carrier dhl", "tracking aggregator"):
            assert re.search(rf"{part} +sandbox +http://127\.0\.0\.1:\d+", said), said
        assert "unreachable" not in said

        body = {"message_id": "m1", "text": "where is my order 1001?", "customer": ALICE}
        response = httpx.post(
            f"{url}/v1/conversations/{new_conversation()}/messages", json=body, headers=ACME, timeout=30
        )
        assert response.status_code == 200, response.text
        assert response.json()["workflows"] == [{"name": "order_status", "status": "resolved"}]
        asked = httpx.get(f"{real_model.url}/_admin/requests").json()["requests"]
        assert asked and {r["body"]["model"] for r in asked} == {"gpt-4o-mini"}
        stand_in = httpx.get(f"{_sandbox_model(tmp_path)}/_admin/requests").json()["requests"]
        assert stand_in == []  # the sandbox's own model was not asked
    finally:
        serve.send_signal(signal.SIGTERM)
        serve.wait(timeout=20)


def _sandbox_model(data_dir: Path) -> str:
    return json.loads((data_dir / "sandbox.json").read_text())["model"]


def test_that_a_prod_start_names_every_endpoint_a_brand_uses_that_is_not_configured(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a prod start needs its brands folder and every credential it names (#18): set, so the endpoints speak
    files = sorted(BRANDS_DIR.glob("*.yaml"))
    creds = {v: "set" for path in files for v in load_brand_file(path).credential_variables().values()}
    for name, value in creds.items():
        monkeypatch.setenv(name, value)
    unset = {"commerce_url": None, "aggregator_url": None}
    unset.update({f"carrier_{name}_url": None for name in ("ups", "fedex", "usps", "dhl")})
    # Explicitly unset: the session's sandbox fixture may have put these in the environment.
    settings = Settings(
        env="prod", data_dir=tmp_path, brands_dir=BRANDS_DIR, model_base_url="http://127.0.0.1:1/v1", **unset
    )
    missing = [e.variable for e in used_endpoints(settings, settings.brands()) if e.url is None]
    assert missing == [
        "SUPPORT_COMMERCE_URL",
        "SUPPORT_CARRIER_DHL_URL",
        "SUPPORT_CARRIER_FEDEX_URL",
        "SUPPORT_CARRIER_UPS_URL",
        "SUPPORT_CARRIER_USPS_URL",
        "SUPPORT_AGGREGATOR_URL",
    ]
    env = {k: v for k, v in os.environ.items() if not k.startswith("SUPPORT_") and k != "DATABASE_URL"}
    env.update({"SUPPORT_ENV": "prod", "DATA_DIR": str(tmp_path), "PORT": str(free_port())})
    env.update({**creds, "SUPPORT_BRANDS_DIR": str(BRANDS_DIR)})
    env["SUPPORT_MODEL_BASE_URL"] = "http://127.0.0.1:1/v1"
    done = subprocess.run(
        [sys.executable, "-m", "launch.serve"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode != 0
    assert "not configured: commerce store (SUPPORT_COMMERCE_URL)" in done.stderr
    assert not (tmp_path / "sandbox.json").exists()


def test_that_an_unreachable_configured_endpoint_is_named_with_why() -> None:
    closed = free_port()  # nothing listens there
    endpoints = [
        Endpoint("commerce store", "SUPPORT_COMMERCE_URL", f"http://127.0.0.1:{closed}"),
        Endpoint("model", "SUPPORT_MODEL_BASE_URL", None),
    ]
    assert unreachable(endpoints) == [(endpoints[0], "Connection refused")]
