"""Shared fixtures: the real sandbox servers on loopback, a throwaway PostgreSQL database, the app.

Under CI=true a PostgreSQL that cannot be reached fails the run; elsewhere its tests skip.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psycopg
import pytest
from fastapi.testclient import TestClient
from hypothesis import settings as hypothesis_settings

from api.app import create_app
from config.settings import Settings, get_settings
from sandbox.carriers import CARRIER_APPS
from sandbox.carriers.aggregator import create_app as create_aggregator
from sandbox.commerce_server import create_app as create_commerce
from sandbox.model_server import create_app as create_model
from sandbox.serve import ServerThread
from tools.carriers.auth import clear_tokens

# First examples pay for imports; a wall-clock deadline would make property tests flaky on 2 cores.
hypothesis_settings.register_profile("project", deadline=None)
hypothesis_settings.load_profile("project")

ADMIN_DB_URL = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
IN_CI = os.environ.get("CI", "").lower() == "true"

ACME = {"Authorization": "Bearer acme-dev-key"}
GLOBEX = {"Authorization": "Bearer globex-dev-key"}
ALICE = {"id": "cus_alice", "email": "alice@example.com"}
BOB = {"id": "cus_bob", "email": "bob@example.com"}


@dataclass(frozen=True)
class Sandbox:
    model: str
    commerce: str
    carriers: dict[str, str] = field(default_factory=dict)
    """Carrier name (`ups`, `fedex`, `usps`, `dhl`) -> base URL."""
    aggregator: str = ""

    def admin(self, system: str, method: str, path: str, json: object = None) -> httpx.Response:
        """`system`: `model`, `commerce`, `aggregator` or a carrier name."""
        bases = {
            "model": self.model,
            "commerce": self.commerce,
            "aggregator": self.aggregator,
            **self.carriers,
        }
        base = bases[system]
        response = httpx.request(method, f"{base}/_admin/{path}", json=json, timeout=5)
        response.raise_for_status()
        return response

    def model_requests(self) -> list[dict]:
        return self.admin("model", "GET", "requests").json()["requests"]


@contextmanager
def carrier_servers() -> Iterator[dict[str, str]]:
    """Every sandbox carrier on its own loopback port: name -> base URL."""
    with ExitStack() as stack:
        yield {name: stack.enter_context(ServerThread(create())).url for name, create in CARRIER_APPS.items()}


@pytest.fixture(scope="session")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    data_dir = tmp_path_factory.mktemp("data")
    with (
        ServerThread(create_model()) as model,
        ServerThread(create_commerce()) as commerce,
        carrier_servers() as carriers,
        ServerThread(create_aggregator()) as aggregator,
        pytest.MonkeyPatch.context() as mp,
    ):
        mp.setenv("SUPPORT_MODEL_BASE_URL", f"{model.url}/v1")
        mp.setenv("SUPPORT_COMMERCE_URL", commerce.url)
        for name, url in carriers.items():
            mp.setenv(f"SUPPORT_CARRIER_{name.upper()}_URL", url)
        mp.setenv("SUPPORT_AGGREGATOR_URL", aggregator.url)
        mp.setenv("SUPPORT_MODEL_MAX_RETRIES", "0")
        mp.setenv("SUPPORT_ENV", "dev")
        mp.setenv("DATA_DIR", str(data_dir))
        get_settings.cache_clear()
        yield Sandbox(model.url, commerce.url, carriers, aggregator.url)
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
        for system in [*sb.carriers, "aggregator"]:
            sb.admin(system, "POST", "reset")
        clear_tokens()  # the carriers forgot the tokens they issued


def _postgres_reachable(url: str) -> str | None:
    try:
        with psycopg.connect(url, connect_timeout=3):
            return None
    except psycopg.OperationalError as exc:
        return str(exc).strip().splitlines()[0]


def pytest_sessionstart(session: pytest.Session) -> None:
    """In CI a missing database fails the run before any test, never a skip."""
    problem = _postgres_reachable(ADMIN_DB_URL) if IN_CI else None
    if problem:
        pytest.exit(
            f"CI=true and PostgreSQL at DATABASE_URL={ADMIN_DB_URL} is unreachable: {problem}", returncode=3
        )


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A database created for this test session and dropped after it."""
    problem = _postgres_reachable(ADMIN_DB_URL)
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
    return Settings(env="dev", database_url=url, data_dir=tmp_path)


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as c:
        yield c


def new_conversation() -> str:
    return f"c-{uuid.uuid4().hex[:12]}"


def say(
    client: TestClient,
    conversation: str,
    text: str,
    *,
    headers: dict = ACME,
    customer: dict = ALICE,
    message_id: str | None = None,
) -> dict:
    body = {"message_id": message_id or f"m-{uuid.uuid4().hex[:8]}", "text": text, "customer": customer}
    response = client.post(f"/v1/conversations/{conversation}/messages", json=body, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()
