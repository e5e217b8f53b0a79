"""docs/add-a-brand.md, followed: a third brand file in a brands folder is served offline by `make run`
(`python -m launch.serve`: the sandbox and the API) with its own dev key, shop and seed order, and its
conversation is its own."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.utils.apiproc import ROOT, free_port, is_healthy, wait_until
from tests.utils.guide import brands_dir_with_guide_brand, guide_brand

pytestmark = pytest.mark.slow


def test_that_a_brand_added_as_the_guide_says_is_served_offline_with_its_own_key_shop_and_orders(
    tmp_path: Path,
) -> None:
    brand = guide_brand()
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SUPPORT_") and k != "DATABASE_URL"}
    env.update(
        DATA_DIR=str(tmp_path / "data"),
        PORT=str(port),
        SUPPORT_ENV="dev",
        SUPPORT_BRANDS_DIR=str(brands_dir_with_guide_brand(tmp_path / "brands")),
    )
    log_path = tmp_path / "serve.log"
    with log_path.open("wb") as log:
        serve = subprocess.Popen(
            [sys.executable, "-m", "launch.serve"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: the sandbox child goes with it
        )
    base = f"http://127.0.0.1:{port}"
    try:
        assert wait_until(lambda: is_healthy(base), 30), log_path.read_text()
        with httpx.Client(base_url=base, timeout=15) as http:
            turn = http.post(
                "/v1/conversations/initech-1/messages",
                json=brand.body,
                headers={"Authorization": f"Bearer {brand.dev_key}"},
            )
            as_acme = http.get(
                "/v1/conversations/initech-1", headers={"Authorization": "Bearer acme-dev-key"}
            )
            as_initech = http.get(
                "/v1/conversations/initech-1", headers={"Authorization": f"Bearer {brand.dev_key}"}
            )
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(serve.pid, signal.SIGTERM)
        try:
            serve.wait(timeout=15)
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(serve.pid, signal.SIGKILL)
    assert turn.status_code == 200, turn.text
    assert (turn.json()["reply"], turn.json()["workflows"], turn.json()["handoff"]) == (
        brand.reply,
        [{"name": "order_status", "status": "resolved"}],
        None,
    )
    assert as_acme.status_code == 404
    assert [(m["author"], m["text"]) for m in as_initech.json()["messages"]] == [
        ("customer", brand.body["text"]),
        ("ai", brand.reply),
    ]
    assert f"{brand.brand_id} -> {brand.dev_key}" in log_path.read_text()
