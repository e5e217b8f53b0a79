"""The dataflow gate can fail: it reports the seed's outage pattern that a parse check passes."""

from __future__ import annotations

import py_compile
import subprocess
import sys
from pathlib import Path

FIXTURE = Path(__file__).parent / "fixtures" / "lint" / "seed_outage.py"
ROOT = Path(__file__).parent.parent


def run_gate(*paths: str) -> subprocess.CompletedProcess[str]:
    """Run the same pylint invocation `make lint` runs, with the project's configuration."""
    cmd = [
        sys.executable,
        "-m",
        "pylint",
        "--rcfile",
        str(ROOT / "pyproject.toml"),
        "--ignore-paths=^$",
        *paths,
    ]
    return subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, check=False)


def test_that_the_seed_outage_passes_a_parse_check() -> None:
    py_compile.compile(str(FIXTURE), doraise=True)


def test_that_the_dataflow_gate_reports_the_import_assigned_later_in_the_function() -> None:
    result = run_gate(str(FIXTURE))
    assert result.returncode != 0
    assert "seed_outage.py:11:11: E0606: Possibly using variable 'json' before assignment" in result.stdout
    assert (
        "seed_outage.py:24:11: E0601: Using variable 'json' before assignment (used-before-assignment)"
        in result.stdout
    )


def test_that_the_dataflow_gate_reports_a_name_bound_on_one_branch_only() -> None:
    result = run_gate(str(FIXTURE))
    assert (
        "E0606: Possibly using variable 'channel' before assignment (possibly-used-before-assignment)"
        in result.stdout
    )


def test_that_the_project_passes_its_own_dataflow_gate() -> None:
    result = run_gate("graph", "nodes", "tools", "checkpoint", "api", "brands", "sandbox")
    assert result.returncode == 0, result.stdout
