"""`python -m brands.keys` (`make key`): a new key and the brand file line that makes the API accept it."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import pytest

from api.auth import KeyRing
from brands import BRANDS_DIR, load_brands
from brands.keys import main
from tests.utils.apiproc import ROOT

ACME_DEV_KEY_SHA256 = "7f2e6802f17f6ba210bb387707340e4fa6d03de0347ddcc5dd4ece4439694fce"


def new_key() -> tuple[str, str]:
    done = subprocess.run(
        [sys.executable, "-m", "brands.keys"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    match = re.fullmatch(r"key: ([A-Za-z0-9_-]{43})\n(api_key_sha256: \[[0-9a-f]{64}\])\n", done.stdout)
    assert match, done.stdout
    assert "api_key_sha256 in the brand's file" in done.stderr
    return match.group(1), match.group(2)


def with_key_line(folder: Path, line: str) -> Path:
    """The demo brands, acme's `api_key_sha256` line replaced by `line`."""
    folder.mkdir()
    for source in BRANDS_DIR.glob("*.yaml"):
        text = source.read_text(encoding="utf-8")
        if source.name == "acme.yaml":
            text = text.replace("api_key_sha256: []", line)
        (folder / source.name).write_text(text, encoding="utf-8")
    return folder


def test_that_a_new_key_pasted_into_the_brand_file_is_accepted_for_that_brand_outside_dev(
    tmp_path: Path,
) -> None:
    key, line = new_key()
    ring = KeyRing(load_brands(with_key_line(tmp_path / "brands", line)), dev=False)
    found = ring.brand_for(key)
    assert found is not None and found.brand_id == "acme"
    assert ring.brand_for("acme-dev-key") is None
    assert new_key()[0] != key


def run(argv: list[str], stdin: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, io.StringIO(stdin), out, err)
    return code, out.getvalue(), err.getvalue()


def test_that_hash_prints_the_line_for_the_keys_on_standard_input() -> None:
    assert run(["hash"], "acme-dev-key\n") == (0, f"api_key_sha256: [{ACME_DEV_KEY_SHA256}]\n", "")
    code, out, _ = run(["hash"], "  old-key \n\nacme-dev-key\n")
    assert (code, out.split(", ")[1]) == (0, f"{ACME_DEV_KEY_SHA256}]\n")


def test_that_a_rotation_line_from_hash_accepts_both_keys(tmp_path: Path) -> None:
    _, line, _ = run(["hash"], "acme-key-2026-10\nacme-key-2026-11\n")
    ring = KeyRing(load_brands(with_key_line(tmp_path / "brands", line.strip())), dev=False)
    assert [
        getattr(ring.brand_for(k), "brand_id", None) for k in ("acme-key-2026-10", "acme-key-2026-11", "x")
    ] == [
        "acme",
        "acme",
        None,
    ]


def test_that_hash_without_a_key_says_how_to_give_one() -> None:
    code, out, err = run(["hash"], "\n  \n")
    assert (code, out) == (2, "")
    assert err == "no key on standard input: printf '%s\\n' \"$KEY\" | python -m brands.keys hash\n"
    with pytest.raises(SystemExit) as caught:
        main(["rotate"], io.StringIO(), io.StringIO(), io.StringIO())
    assert caught.value.code == 2
