"""The one `Settings` object: where `make run` listens, variables it must not take for its own, the brands served."""

from __future__ import annotations

from pathlib import Path

import pytest

from brands import BRANDS_DIR, BrandConfigError
from config.settings import Settings


def test_that_host_and_port_come_from_host_and_port(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOST", "0.0.0.0")
    monkeypatch.setenv("PORT", "8099")
    assert (Settings().host, Settings().port) == ("0.0.0.0", 8099)


def test_that_a_kubernetes_service_named_support_does_not_break_the_settings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Kubernetes sets <SERVICE>_PORT=tcp://ip:port and <SERVICE>_SERVICE_HOST for every Service.
    monkeypatch.delenv("PORT", raising=False)
    monkeypatch.setenv("SUPPORT_PORT", "tcp://10.0.0.1:80")
    monkeypatch.setenv("SUPPORT_SERVICE_HOST", "10.0.0.1")
    monkeypatch.setenv("SUPPORT_HOST", "10.0.0.1")
    assert (Settings().host, Settings().port) == ("127.0.0.1", 8000)


def test_that_the_brands_served_come_from_the_brands_dir_when_one_is_set(tmp_path: Path) -> None:
    (tmp_path / "globex.yaml").write_text((BRANDS_DIR / "globex.yaml").read_text())
    assert list(Settings(brands_dir=tmp_path).brands()) == ["globex"]
    assert sorted(Settings(brands_dir=None).brands()) == ["acme", "globex"]


@pytest.mark.parametrize(("folder", "reason"), [("missing", "no such folder"), ("empty", "no brand files")])
def test_that_a_brands_dir_without_brand_files_is_an_error_naming_it(
    tmp_path: Path, folder: str, reason: str
) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(BrandConfigError, match=reason) as caught:
        Settings(brands_dir=tmp_path / folder).brands()
    assert caught.value.path == tmp_path / folder
