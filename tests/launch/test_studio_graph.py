"""The graph a LangGraph server runs (`launch/studio_graph.py`): its context's brand comes from the
brands the settings serve (`SUPPORT_BRANDS_DIR`), loaded once when the server imports the module."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from brands import BRANDS_DIR
from tests.utils.apiproc import ROOT

pytestmark = pytest.mark.slow

PROBE = """
import json
from brands import BrandConfigError
from launch.studio_graph import ServerContext, graph
out = {"schema": graph.context_schema.__name__}
for brand_id in ("globex", "acme"):
    try:
        out[brand_id] = ServerContext(brand_id=brand_id, customer_id="c").brand.display_name
    except BrandConfigError as exc:
        out[brand_id] = str(exc)
print(json.dumps(out))
"""


def probe(env: dict[str, str]) -> dict[str, str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_that_the_servers_context_looks_brands_up_in_the_brands_dir(tmp_path: Path) -> None:
    (tmp_path / "globex.yaml").write_text((BRANDS_DIR / "globex.yaml").read_text())
    env = {k: v for k, v in os.environ.items() if not k.startswith("SUPPORT_")}
    env["SUPPORT_ENV"] = "dev"  # as `make studio` serves it: the demo brands, sandbox credentials
    served = probe({**env, "SUPPORT_BRANDS_DIR": str(tmp_path)})
    default = probe(env)
    assert served == {
        "schema": "ServerContext",
        "globex": "Globex Outfitters",
        "acme": f"{tmp_path}: brand_id: unknown brand 'acme' (known: globex)",
    }
    assert default == {"schema": "ServerContext", "globex": "Globex Outfitters", "acme": "Acme Coffee"}


def test_that_a_bad_brands_dir_stops_the_server_at_import(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SUPPORT_")}
    done = subprocess.run(
        [sys.executable, "-c", "import launch.studio_graph"],
        cwd=ROOT,
        env={**env, "SUPPORT_BRANDS_DIR": str(tmp_path / "nowhere")},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert f"BrandConfigError: {tmp_path / 'nowhere'}: <folder>: no such folder" in done.stderr
