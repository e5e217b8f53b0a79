"""Packages by concern, imports pointing one way: no package imports one above it (so no cycle).

The layers, top to bottom, are README's folder table; `LAYERS` here is the order the test holds
the code to, and a test fails when the two drift apart. The classifier (`routing`) is pure: no
LangGraph, LangChain or model client, and its offline training never runs in the service.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAYERS = (
    "launch", "api", "service", "graph", "nodes", "workflows", "accounting",
    "tools", "checkpoint", "state", "routing", "config", "brands",
)  # fmt: skip
"""The service's packages, top to bottom: each may import only the packages below it."""
OUTSIDE = ("sandbox", "bench", "tests")
"""The stand-ins for the outside world, the benchmarks and the tests: no service package imports them."""
OFFLINE_ONLY = ("routing.train", "routing.corpus")
PURE_ROUTING_BANS = ("langgraph", "langchain_core", "langchain_openai", "openai", "httpx", "fastapi")


def imported_modules(path: Path) -> Iterator[str]:
    """Every absolute module an import in `path` names, at module level or inside a function."""
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def edges(package: str) -> set[tuple[str, str, str]]:
    """(file, imported project package, imported module) for every import of another project package."""
    known = set(LAYERS) | set(OUTSIDE)
    found = set()
    for path in sorted((ROOT / package).rglob("*.py")):
        for module in imported_modules(path):
            top = module.split(".")[0]
            if top in known and top != package:
                found.add((str(path.relative_to(ROOT)), top, module))
    return found


def test_that_every_top_level_package_has_a_place_in_the_layers() -> None:
    packages = {p.parent.name for p in ROOT.glob("*/__init__.py")}
    assert packages == set(LAYERS) | set(OUTSIDE)


def test_that_no_package_imports_a_package_above_it_or_outside_the_service() -> None:
    upward = [
        (file, target)
        for rank, package in enumerate(LAYERS)
        for file, target, _ in edges(package)
        if target in OUTSIDE or LAYERS.index(target) < rank
    ]
    assert upward == []


def test_that_the_sandbox_knows_nothing_of_the_service() -> None:
    assert {target for _, target, _ in edges("sandbox")} == set()


def test_that_the_classifier_is_pure_and_its_training_stays_offline() -> None:
    routing = [m for p in (ROOT / "routing").rglob("*.py") for m in imported_modules(p)]
    assert [m for m in routing if m.split(".")[0] in PURE_ROUTING_BANS] == []
    runtime = [
        (file, module)
        for package in LAYERS
        if package != "routing"
        for file, _, module in edges(package)
        if module.startswith(OFFLINE_ONLY) and not file.endswith("__main__.py")  # offline commands
    ]
    assert runtime == []


def test_that_the_running_service_never_imports_the_offline_trainer() -> None:
    probe = (
        "import sys, launch.asgi, launch.studio_graph; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'routing'))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True, timeout=120
    )
    loaded = ast.literal_eval(out.stdout.strip().splitlines()[-1])
    assert "routing.classifier" in loaded
    assert [m for m in loaded if m.startswith(OFFLINE_ONLY)] == []


def test_that_readme_lists_the_layers_in_the_order_the_code_holds() -> None:
    listed = re.findall(r"^\| `([a-z_]+)/` \|", (ROOT / "README.md").read_text(), flags=re.M)
    assert [p for p in listed if p in LAYERS] == list(LAYERS)
