"""Shared fixtures: the real sandbox servers on loopback, a throwaway PostgreSQL database, the app.

Helpers the tests import by name live in `tests/utils/`.

Under CI=true a PostgreSQL that cannot be reached fails the run; elsewhere its tests skip.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from fastapi.testclient import TestClient
from hypothesis import settings as hypothesis_settings

from api.app import create_app
from config.settings import Settings, get_settings
from tests.utils.conversations import METRICS_TOKEN
from tests.utils.db import ADMIN_DB_URL, IN_CI, postgres_problem
from tests.utils.sandbox import Sandbox, sandbox_servers
from tools.carriers.auth import clear_tokens

# First examples pay for imports; a wall-clock deadline would make property tests flaky on 2 cores.
hypothesis_settings.register_profile("project", deadline=None)
hypothesis_settings.load_profile("project")


@pytest.fixture(scope="session", autouse=True)
def _dev_environment() -> Iterator[None]:
    """The suite runs in dev, as `make run` does (demo brands, dev keys, the sandbox's credentials):
    `SUPPORT_ENV` unset means prod. A test of another environment sets it itself."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SUPPORT_ENV", "dev")
        yield


@pytest.fixture(scope="session")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    data_dir = tmp_path_factory.mktemp("data")
    with sandbox_servers() as servers, pytest.MonkeyPatch.context() as mp:
        for name, value in servers.env().items():
            mp.setenv(name, value)
        mp.setenv("DATA_DIR", str(data_dir))
        get_settings.cache_clear()
        yield servers
    get_settings.cache_clear()


@pytest.fixture(autouse=True)
def _fresh_settings() -> Iterator[None]:
    """`get_settings()` is cached per process: each test reads the environment it set itself."""
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture(autouse=True)
def _fresh_sandbox(request: pytest.FixtureRequest) -> None:
    if "sandbox" in request.fixturenames:
        sb: Sandbox = request.getfixturevalue("sandbox")
        sb.admin("model", "POST", "reset")
        sb.admin("commerce", "POST", "reset")
        for system in [*sb.carriers, "aggregator", "webhooks"]:
            sb.admin(system, "POST", "reset")
        clear_tokens()  # the carriers forgot the tokens they issued


def pytest_sessionstart(session: pytest.Session) -> None:
    """In CI a missing database fails the run before any test, never a skip."""
    problem = postgres_problem(ADMIN_DB_URL) if IN_CI else None
    if problem:
        pytest.exit(
            f"CI=true and PostgreSQL at DATABASE_URL={ADMIN_DB_URL} is unreachable: {problem}", returncode=3
        )


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A database created for this test session and dropped after it."""
    problem = postgres_problem(ADMIN_DB_URL)
    if problem:
        if IN_CI:
            pytest.fail(f"CI=true and PostgreSQL at DATABASE_URL={ADMIN_DB_URL} is unreachable: {problem}")
        pytest.skip(f"PostgreSQL at DATABASE_URL={ADMIN_DB_URL} is unreachable: {problem}")
    name = f"support_test_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(ADMIN_DB_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base, _, _ = ADMIN_DB_URL.rpartition("/")
    yield f"{base}/{name}"
    with psycopg.connect(ADMIN_DB_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgres"])
def settings(request: pytest.FixtureRequest, tmp_path: Path, sandbox: Sandbox) -> Settings:
    url = request.getfixturevalue("postgres_url") if request.param == "postgres" else None
    return Settings(env="dev", database_url=url, data_dir=tmp_path, metrics_token=METRICS_TOKEN)


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as c:
        yield c
