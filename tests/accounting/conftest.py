"""Reports read a whole brand's rows, so report tests get a database of their own.

`isolated_client` is the root `client` (parametrised over SQLite and Postgres) on a database
created for the test and dropped after it: the session database other tests share would mix
their conversations into the brand's report. Tests that read one conversation use `client`.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from fastapi.testclient import TestClient

from accounting.tables import SCHEMA
from api.app import create_app
from checkpoint.factory import open_persistence
from config.settings import Settings
from tests.utils.db import ADMIN_DB_URL, IN_CI, postgres_problem
from tests.utils.sandbox import Sandbox


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[str]:
    """A database with every schema set up, copied for each test: migrations run once per session."""
    problem = postgres_problem(ADMIN_DB_URL)
    if problem:
        if IN_CI:
            pytest.fail(f"CI=true and PostgreSQL at DATABASE_URL={ADMIN_DB_URL} is unreachable: {problem}")
        pytest.skip(f"PostgreSQL at DATABASE_URL={ADMIN_DB_URL} is unreachable: {problem}")
    name = f"support_tmpl_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(ADMIN_DB_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    asyncio.run(_set_up(_url(name)))
    yield name
    with psycopg.connect(ADMIN_DB_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _url(name: str) -> str:
    return f"{ADMIN_DB_URL.rpartition('/')[0]}/{name}"


async def _set_up(url: str) -> None:
    async with open_persistence(url, Path("."), SCHEMA):
        pass


@pytest.fixture
def fresh_postgres_url(postgres_template: str) -> Iterator[str]:
    """A database created for this test (from the template) and dropped after it."""
    name = f"support_acct_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(ADMIN_DB_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{postgres_template}"')
    yield _url(name)
    with psycopg.connect(ADMIN_DB_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest) -> str | None:
    return request.getfixturevalue("fresh_postgres_url") if request.param == "postgres" else None


@pytest.fixture
def empty_postgres_url(postgres_template: str) -> Iterator[str]:
    """A database with no table at all (not from the template), dropped after the test."""
    del postgres_template  # only for its check that PostgreSQL is reachable
    name = f"support_empty_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(ADMIN_DB_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield _url(name)
    with psycopg.connect(ADMIN_DB_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgres"])
def empty_database_url(request: pytest.FixtureRequest) -> str | None:
    """An empty database: a new SQLite file under `tmp_path` (None) or a new PostgreSQL database."""
    return request.getfixturevalue("empty_postgres_url") if request.param == "postgres" else None


@pytest.fixture
def isolated_settings(database_url: str | None, tmp_path: Path, sandbox: Sandbox) -> Settings:
    return Settings(env="dev", database_url=database_url, data_dir=tmp_path)


@pytest.fixture
def isolated_client(isolated_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(isolated_settings)) as c:
        yield c
