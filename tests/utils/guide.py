"""docs/add-a-brand.md as tests follow it: its brand file, the message it sends and the reply it shows."""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from brands import BRANDS_DIR

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "add-a-brand.md"


@dataclass(frozen=True)
class GuideBrand:
    brand_file: str
    """The YAML of step 1, as written."""
    brand_id: str
    dev_key: str
    body: dict[str, Any]
    """The message of step 2 (the curl's `-d` JSON)."""
    reply: str
    """The reply step 2 shows."""


def _block(text: str, info: str) -> str:
    blocks = re.findall(rf"^```{info}\n(.*?)^```$", text, flags=re.M | re.S)
    assert len(blocks) == 1, f"{GUIDE} should hold one ```{info} block, not {len(blocks)}"
    return blocks[0]


@cache
def guide_brand() -> GuideBrand:
    text = GUIDE.read_text(encoding="utf-8")
    brand_file = _block(text, "yaml")
    data = yaml.safe_load(brand_file)
    body = re.search(r"-d '(\{.*?\})'", text)
    assert body, f"{GUIDE} should send a message with curl -d '{{...}}'"
    return GuideBrand(
        brand_file=brand_file,
        brand_id=data["brand_id"],
        dev_key=data["dev_api_keys"][0],
        body=json.loads(body.group(1)),
        reply=_block(text, "text").rstrip("\n"),
    )


def brands_dir_with_guide_brand(folder: Path) -> Path:
    """`folder` holding the repository's brand files and the guide's, as step 2 makes `var/brands`."""
    folder.mkdir(parents=True)
    for source in BRANDS_DIR.glob("*.yaml"):
        shutil.copy(source, folder / source.name)
    brand = guide_brand()
    (folder / f"{brand.brand_id}.yaml").write_text(brand.brand_file, encoding="utf-8")
    return folder
