"""API keys outside dev (tier one): hashed in configuration, two active keys per brand while
rotating, dev keys refused, 401 without or with a wrong key, one key never names two brands."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient

from api.app import create_app
from api.auth import KeyRing
from brands import BRANDS_DIR, BrandConfigError, hash_key, load_brands
from config.settings import Settings

OLD, NEW, GLOBEX_KEY = "acme-key-2026-10", "acme-key-2026-11", "globex-key-2026-11"


def brands_with_keys(directory: Path, keys: dict[str, list[str]]) -> Path:
    """A copy of the demo brands whose production keys are the SHA-256 of `keys[brand]`."""
    for source in BRANDS_DIR.glob("*.yaml"):
        data = yaml.safe_load(source.read_text(encoding="utf-8"))
        data["api_key_sha256"] = [hash_key(k) for k in keys.get(data["brand_id"], [])]
        (directory / source.name).write_text(yaml.safe_dump(data), encoding="utf-8")
    return directory


def credentials_of(brands: Path) -> dict[str, str]:
    """A value for every credential variable the brands in `brands` name (outside dev each must be set)."""
    return {
        variable: f"prod-{variable.lower()}"
        for brand in load_brands(brands).values()
        for variable in brand.credential_variables().values()
    }


@pytest.fixture
def prod(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    (tmp_path / "brands").mkdir()
    brands = brands_with_keys(tmp_path / "brands", {"acme": [OLD, NEW], "globex": [GLOBEX_KEY]})
    for variable, value in credentials_of(brands).items():
        monkeypatch.setenv(variable, value)
    settings = Settings(env="prod", brands_dir=brands, data_dir=tmp_path / "data")
    with TestClient(create_app(settings)) as client:
        yield client


def status(client: TestClient, headers: dict[str, str]) -> int:
    return client.get("/v1/conversations/c-unknown", headers=headers).status_code


def test_that_both_keys_of_a_rotation_are_accepted_for_their_brand_and_nothing_else(prod: TestClient) -> None:
    # 404 is "authenticated, and this brand has no such conversation"; 401 is "who are you?"
    assert status(prod, {"Authorization": f"Bearer {OLD}"}) == 404
    assert status(prod, {"Authorization": f"Bearer {NEW}"}) == 404
    assert status(prod, {"Authorization": f"Bearer {GLOBEX_KEY}"}) == 404
    assert status(prod, {"Authorization": f"Bearer {NEW}x"}) == 401
    assert status(prod, {"Authorization": "Bearer acme-dev-key"}) == 401  # dev keys only in dev
    assert status(prod, {}) == 401
    assert status(prod, {"Authorization": NEW}) == 401  # not a bearer credential


def test_that_a_401_names_the_problem_and_asks_for_a_bearer_key(prod: TestClient) -> None:
    missing = prod.get("/v1/conversations/c-1")
    wrong = prod.get("/v1/conversations/c-1", headers={"Authorization": "Bearer nope"})
    assert missing.json()["detail"] and wrong.json()["detail"]
    assert missing.headers["WWW-Authenticate"] == wrong.headers["WWW-Authenticate"] == "Bearer"


def test_that_retiring_the_old_key_leaves_only_the_new_one(tmp_path: Path) -> None:
    (tmp_path / "brands").mkdir()
    brands = load_brands(brands_with_keys(tmp_path / "brands", {"acme": [NEW]}))
    ring = KeyRing(brands, dev=False)
    assert ring.brand_for(OLD) is None
    found = ring.brand_for(NEW)
    assert found is not None and found.brand_id == "acme"


def test_that_one_key_configured_for_two_brands_refuses_to_start(tmp_path: Path) -> None:
    (tmp_path / "brands").mkdir()
    brands = load_brands(brands_with_keys(tmp_path / "brands", {"acme": [NEW], "globex": [NEW]}))
    with pytest.raises(ValueError, match="both 'acme' and 'globex'"):
        KeyRing(brands, dev=False)


def test_that_a_key_stored_in_clear_instead_of_its_hash_is_a_configuration_error(tmp_path: Path) -> None:
    shutil.copytree(BRANDS_DIR, tmp_path / "brands", ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    path = tmp_path / "brands" / "acme.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["api_key_sha256"] = [NEW]
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(BrandConfigError, match="api_key_sha256"):
        load_brands(tmp_path / "brands")
