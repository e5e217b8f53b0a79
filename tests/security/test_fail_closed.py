"""Fail closed: `SUPPORT_ENV` unset is `prod`. Outside dev the bundled demo brands are not served,
`SUPPORT_BRANDS_DIR` is required, dev keys are refused and a brand whose credential variable is unset
stops the start, naming the variable (issue #18, item 3)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from brands import BrandConfigError
from config.settings import Settings
from tests.security.test_keys import NEW, brands_with_keys, credentials_of

ROOT = Path(__file__).resolve().parents[2]
BODY = {
    "message_id": "m1",
    "text": "where is my order 1001?",
    "customer": {"id": "c", "email": "alice@example.com"},
}


def prod_brands(directory: Path) -> Path:
    directory.mkdir()
    return brands_with_keys(directory, {"acme": [NEW]})


@pytest.fixture
def prod_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    """The environment of a service started without `make run`: no `SUPPORT_ENV` at all."""
    monkeypatch.delenv("SUPPORT_ENV", raising=False)
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    yield prod_brands(tmp_path / "brands")


def test_that_an_unset_support_env_is_prod(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings().env == "dev"  # the suite's own environment (tests/conftest.py)
    monkeypatch.delenv("SUPPORT_ENV")
    assert (Settings().env, Settings().is_dev) == ("prod", False)


def test_that_outside_dev_the_demo_brands_are_not_served_without_a_brands_dir(prod_env: Path) -> None:
    with pytest.raises(BrandConfigError, match="SUPPORT_BRANDS_DIR: unset, and SUPPORT_ENV is not dev"):
        Settings().brands()
    with pytest.raises(BrandConfigError, match="SUPPORT_BRANDS_DIR"):
        create_app()


def test_that_a_prod_start_with_its_credentials_set_answers_401_to_a_dev_key(
    prod_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for variable, value in credentials_of(prod_env).items():
        monkeypatch.setenv(variable, value)
    monkeypatch.setenv("SUPPORT_BRANDS_DIR", str(prod_env))
    with TestClient(create_app()) as client:  # the process's settings, as `uvicorn launch.asgi:app`
        dev = client.post(
            "/v1/conversations/c1/messages", json=BODY, headers={"Authorization": "Bearer acme-dev-key"}
        )
        known = client.get("/v1/conversations/c1", headers={"Authorization": f"Bearer {NEW}"})
    assert (dev.status_code, dev.json()["detail"]) == (401, "unknown API key")
    assert known.status_code == 404  # the production key is accepted: the service did start


def test_that_a_prod_start_with_a_credential_unset_is_refused_naming_it(prod_env: Path) -> None:
    credentials = credentials_of(prod_env)
    del credentials["ACME_RECHARGE_TOKEN"]
    env = {k: v for k, v in os.environ.items() if k != "SUPPORT_ENV" and k not in credentials}
    env.update(credentials, SUPPORT_BRANDS_DIR=str(prod_env), PYTHONPATH=str(ROOT))
    command = [sys.executable, "-m", "uvicorn", "launch.asgi:app", "--host", "127.0.0.1", "--port", "0"]
    run = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    print(run.stderr.strip().splitlines()[-1])
    assert run.returncode != 0
    assert (
        f"BrandConfigError: {prod_env}: acme: commerce.recharge_token_env: the credential variable "
        "ACME_RECHARGE_TOKEN is unset (required unless SUPPORT_ENV=dev)"
    ) in run.stderr
