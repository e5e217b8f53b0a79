"""What `make run` and `make studio` print and pass on: the brands served, from SUPPORT_BRANDS_DIR."""

from __future__ import annotations

from pathlib import Path

import pytest

from brands import BRANDS_DIR
from config.settings import Settings
from launch.serve import banner, served_brands
from launch.studio import EXAMPLE_CONTEXT, example_context, studio_env


def only_globex(folder: Path) -> Path:
    folder.mkdir()
    (folder / "globex.yaml").write_text((BRANDS_DIR / "globex.yaml").read_text())
    return folder


def test_that_make_run_prints_each_served_brands_dev_keys_and_the_acme_example_only_for_acme(
    tmp_path: Path,
) -> None:
    demo = Settings(env="dev", brands_dir=None, data_dir=tmp_path)
    globex = Settings(env="dev", brands_dir=only_globex(tmp_path / "brands"), data_dir=tmp_path)
    demo_text = banner(demo, served_brands(demo), "m")
    globex_text = banner(globex, served_brands(globex), "m")
    assert f"Brands from {BRANDS_DIR} (dev keys, accepted only with SUPPORT_ENV=dev): " in demo_text
    assert "acme -> acme-dev-key, globex -> globex-dev-key\n" in demo_text
    assert "Bearer acme-dev-key" in demo_text
    assert (
        f"Brands from {tmp_path / 'brands'} (dev keys, accepted only with SUPPORT_ENV=dev): globex -> globex-dev-key\n"
        in globex_text
    )
    assert "acme" not in globex_text


def test_that_a_brand_file_that_does_not_load_stops_the_launchers_with_its_reason(tmp_path: Path) -> None:
    (tmp_path / "acme.yaml").write_text("brand_id: acme\n")
    with pytest.raises(
        SystemExit, match=rf"^brand files: {tmp_path / 'acme.yaml'}: display_name: Field required$"
    ):
        served_brands(Settings(brands_dir=tmp_path))


def test_that_studio_hands_the_server_an_absolute_brands_dir_and_an_example_of_a_served_brand(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    env = studio_env(Path("data"), {"SUPPORT_BRANDS_DIR": "brands", "PATH": "/bin"})
    assert (env["SUPPORT_BRANDS_DIR"], env["DATA_DIR"], env["PATH"]) == (
        str(tmp_path / "brands"),
        str(tmp_path / "data"),
        "/bin",
    )
    assert "SUPPORT_BRANDS_DIR" not in studio_env(Path("data"), {})
    globex = served_brands(Settings(brands_dir=only_globex(tmp_path / "brands")))
    assert example_context(globex)["brand_id"] == "globex"
    assert example_context(served_brands(Settings(brands_dir=None))) == EXAMPLE_CONTEXT
