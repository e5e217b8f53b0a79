"""The upgrade fixtures (`tests/fixtures/upgrade/<name>/`): data directories written once by older code,
and today's app opened on a copy of one."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from api.app import create_app
from config.settings import Settings

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "upgrade"


def record_of(name: str) -> dict[str, Any]:
    """What the fixture holds (`fixture.json`: the commit that wrote it, its conversations)."""
    record: dict[str, Any] = json.loads((FIXTURES / name / "fixture.json").read_text())
    return record


@contextmanager
def app_on_copy(name: str, workdir: Path) -> Iterator[TestClient]:
    """Today's app on a copy of the fixture's data directory (SQLite); the sandbox must be up."""
    data = workdir / "data"
    shutil.copytree(FIXTURES / name / record_of(name)["data_dir"], data)
    with TestClient(create_app(Settings(env="dev", database_url=None, data_dir=data))) as client:
        yield client
