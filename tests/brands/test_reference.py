"""docs/brands.md's reference table and `BrandConfig` name the same fields with the same defaults:
a field added, removed or given another default without its row fails here."""

from __future__ import annotations

import json
import re
import types
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from brands import BrandConfig

REFERENCE = Path(__file__).resolve().parents[2] / "docs" / "brands.md"
ROW = re.compile(r"^\| `([a-z0-9_.{},]+)` \| [^|]+ \| ([^|]+) \|", re.M)


def expand(path: str) -> list[str]:
    """`a.{b,c}.d` -> `a.b.d`, `a.c.d`."""
    match = re.search(r"\{([a-z_,]+)\}", path)
    if not match:
        return [path]
    return [p for part in match.group(1).split(",") for p in expand(path.replace(match.group(0), part, 1))]


def documented() -> dict[str, str]:
    """Field path -> the default cell of its row."""
    rows = ROW.findall(REFERENCE.read_text(encoding="utf-8"))
    return {path: cell.strip() for pattern, cell in rows for path in expand(pattern)}


def section_of(info: FieldInfo) -> type[BaseModel] | None:
    """The model a field holds (through `X | None`), if it is a section."""
    annotation = info.annotation
    options = get_args(annotation) if get_origin(annotation) in (Union, types.UnionType) else (annotation,)
    found = [o for o in options if isinstance(o, type) and issubclass(o, BaseModel)]
    return found[0] if found else None


def fields(model: type[BaseModel], prefix: str = "") -> Iterator[tuple[str, FieldInfo]]:
    for name, info in model.model_fields.items():
        yield f"{prefix}{name}", info
        section = section_of(info)
        if section is not None:
            yield from fields(section, f"{prefix}{name}.")


def expected_default(info: FieldInfo) -> str | None:
    """How the table writes the field's default; None where it says it in words (a default section)."""
    if info.is_required():
        return "required"
    value: Any = info.default
    if value is None:
        return "none"
    if isinstance(value, BaseModel):
        return None
    if isinstance(value, tuple):
        return f"`{json.dumps(list(value))}`"
    if isinstance(value, str):
        return f"`{json.dumps(value)}`"
    if isinstance(value, int | float | Decimal):
        return f"`{value}`"
    raise AssertionError(f"no way to write the default {value!r} in the table")


def test_that_every_field_of_a_brand_file_has_a_row_and_every_row_a_field() -> None:
    in_model = [path for path, _ in fields(BrandConfig)]
    assert sorted(documented()) == sorted(in_model)


def test_that_every_row_states_its_fields_default() -> None:
    table = documented()
    wrong = {}
    for path, info in fields(BrandConfig):
        expected = expected_default(info)
        cell = table.get(path, "")
        stated = cell if expected in ("required", "none") else (re.match(r"`[^`]*`", cell) or [cell])[0]
        if expected is not None and not stated.startswith(expected):
            wrong[path] = (cell, expected)
    assert wrong == {}
