"""schemathesis against the app's OpenAPI: no 5xx, and every 4xx says why in `detail`.

schemathesis runs from its own virtualenv, `.venv-schemathesis` (made by `make install` / `make test`
from `tests/schemathesis/requirements.txt`): its releases from 4.16 need jsonschema-rs >= 0.46 and
langgraph-api 0.16.7 in `.venv` needs < 0.45. Its CLI (`st run`) drives a real uvicorn process of the
app (SUPPORT_ENV=dev, the real sandbox servers) with the acme dev key, bounded examples per operation,
through every phase (examples, coverage, fuzzing, stateful), bodies with hostile strings added (a
lone surrogate, a NUL, huge strings: `flatmap_body` in tests/schemathesis/hooks.py), with the checks
`not_a_server_error`, `four_xx_has_reason` and `four_xx_echoes_nothing` (hooks.py). The seed is random; its summary (with the seed,
`--seed` replays it) is printed, and shown in full when the run fails.
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.utils.apiproc import ROOT, ApiProcess
from tests.utils.db import IN_CI
from tests.utils.sandbox import Sandbox

ST = ROOT / ".venv-schemathesis" / "bin" / "st"
HOOKS = ROOT / "tests" / "schemathesis" / "hooks.py"
MAX_EXAMPLES = 50  # per operation and phase: about 8 s a run (SQLite or PostgreSQL) on 2 cores
CHECKS = "not_a_server_error,four_xx_has_reason,four_xx_echoes_nothing"


@pytest.fixture(params=["sqlite", "postgres"])
def api(request: pytest.FixtureRequest, sandbox: Sandbox, tmp_path: Path) -> Iterator[ApiProcess]:
    url = request.getfixturevalue("postgres_url") if request.param == "postgres" else None
    proc = ApiProcess(tmp_path / "api", url)
    try:
        yield proc.start()
    finally:
        proc.stop()


def test_that_schemathesis_finds_no_server_error_and_no_4xx_without_a_reason(
    api: ApiProcess, tmp_path: Path
) -> None:
    if not ST.exists():
        message = f"{ST} missing: `make install` creates .venv-schemathesis"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    cmd = [
        str(ST),
        "run",
        f"{api.url}/openapi.json",
        "--header",
        "Authorization: Bearer acme-dev-key",
        "--checks",
        CHECKS,
        "--max-examples",
        str(MAX_EXAMPLES),
        "--request-timeout",
        "30",
        "--generation-database",
        "none",
        "--no-color",
    ]
    env = {**os.environ, "SCHEMATHESIS_HOOKS": str(HOOKS)}
    started = time.monotonic()
    # cwd: schemathesis keeps its cache (.schemathesis/) in the working directory, out of the repo
    run = subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    output = run.stdout + run.stderr
    print(f"\nschemathesis ({time.monotonic() - started:.1f} s):\n{output}")
    assert run.returncode == 0, f"schemathesis exited {run.returncode}:\n{output[-20000:]}"
