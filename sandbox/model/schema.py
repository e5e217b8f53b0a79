"""Fill JSON-schema values from free text: tool arguments and structured (json_schema) replies.

Pure functions. Two fillers share one reading of a schema (`$ref` into `$defs`/`definitions`
followed, `anyOf`/`oneOf`/`type: [..., "null"]` reduced to their first non-null branch):

- `fill_arguments` is strict: a value is filled only when the text really holds it (a `pattern`
  match, an `enum` value sharing a word with the text, a `const`); anything else stays missing.
- `fill_schema` always answers something valid: defaults where the text says nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sandbox.model.text import best_match, overlap, search_all, search_pattern, words

Schema = Mapping[str, Any]
NUMBER_DEFAULT = 0.5


def _follow_ref(schema: Schema, root: Schema) -> Schema:
    ref = schema.get("$ref")
    if not isinstance(ref, str) or not ref.startswith("#/"):
        return schema
    node: Any = root
    for part in ref[2:].split("/"):
        node = node.get(part, {}) if isinstance(node, Mapping) else {}
    return {**node, **{k: v for k, v in schema.items() if k != "$ref"}}


def resolve(schema: Schema, root: Schema) -> tuple[Schema, bool]:
    """Return the schema to fill and whether null is also allowed."""
    if not isinstance(schema, Mapping):
        return {}, False
    schema = _follow_ref(schema, root)
    branches = schema.get("anyOf") or schema.get("oneOf")
    if isinstance(branches, list):
        nullable = any(isinstance(b, Mapping) and b.get("type") == "null" for b in branches)
        real = [b for b in branches if isinstance(b, Mapping) and b.get("type") != "null"]
        inner, inner_nullable = resolve(real[0], root) if real else ({}, True)
        return inner, nullable or inner_nullable
    kind = schema.get("type")
    if isinstance(kind, list):
        others = [k for k in kind if k != "null"]
        return {**schema, "type": others[0] if others else "null"}, "null" in kind
    return schema, False


def mentioned_enum_values(enum: list[Any], text: str) -> list[Any]:
    """Return the enum values sharing a word with `text`, in schema order."""
    text_words = words(text)
    return [value for value in enum if overlap(str(value), text_words) > 0]


def _strict_value(schema: Schema, text: str) -> tuple[bool, Any]:
    if "const" in schema:
        return True, schema["const"]
    enum = schema.get("enum")
    if isinstance(enum, list) and enum:
        index, score = best_match([str(v) for v in enum], text)
        return (True, enum[index]) if score > 0 else (False, None)
    pattern = schema.get("pattern")
    if isinstance(pattern, str):
        found = search_pattern(pattern, text)
        return (True, found) if found is not None else (False, None)
    return False, None


def fill_arguments(parameters: Schema, text: str) -> tuple[dict[str, Any], list[str]]:
    """Fill a tool's parameters from `text`; return (arguments, required names left missing)."""
    properties = parameters.get("properties") or {}
    required = [str(name) for name in parameters.get("required") or []]
    arguments: dict[str, Any] = {}
    for name, prop in properties.items():
        schema, _ = resolve(prop, parameters)
        is_filled, value = _strict_value(schema, text)
        if is_filled:
            arguments[name] = value
    return arguments, [name for name in required if name not in arguments]


def _fill_string(schema: Schema, nullable: bool, text: str) -> Any:
    pattern = schema.get("pattern")
    found = search_pattern(pattern, text) if isinstance(pattern, str) else None
    if found is not None:
        return found
    return None if nullable else ""


def _fill_number(schema: Schema, integer: bool) -> float | int:
    value: float = 0 if integer else NUMBER_DEFAULT
    minimum, maximum = schema.get("minimum"), schema.get("maximum")
    if isinstance(minimum, int | float):
        value = max(value, minimum)
    if isinstance(maximum, int | float):
        value = min(value, maximum)
    return int(value) if integer else value


def _enum_key(item: Schema, root: Schema) -> str | None:
    for name, prop in (item.get("properties") or {}).items():
        schema, _ = resolve(prop, root)
        if isinstance(schema.get("enum"), list) and schema["enum"]:
            return str(name)
    return None


def _fill_array(schema: Schema, root: Schema, text: str) -> list[Any]:
    item, _ = resolve(schema.get("items") or {}, root)
    values: list[Any]
    key = _enum_key(item, root) if item.get("type") == "object" else None
    enum = item.get("enum")
    if key is not None:
        key_schema, _ = resolve(item["properties"][key], root)
        chosen = _enum_choice(key_schema["enum"], text)
        values = [{**fill_schema(item, root, text), key: value} for value in chosen]
    elif isinstance(enum, list) and enum:
        values = _enum_choice(enum, text)
    elif isinstance(item.get("pattern"), str):
        values = search_all(item["pattern"], text)
    elif item.get("type") == "object":
        values = [fill_schema(item, root, text)]
    else:
        values = []
    limit = schema.get("maxItems")
    return values[:limit] if isinstance(limit, int) else values


def _enum_choice(enum: list[Any], text: str) -> list[Any]:
    chosen = mentioned_enum_values(enum, text)
    return chosen or [enum[best_match([str(v) for v in enum], text)[0]]]


def fill_schema(schema: Schema, root: Schema, text: str) -> Any:
    """Return a value valid for `schema` (`root` holds its `$defs`), filled from `text`."""
    schema, nullable = resolve(schema, root)
    if "const" in schema:
        return schema["const"]
    enum = schema.get("enum")
    if isinstance(enum, list) and enum:
        return enum[best_match([str(v) for v in enum], text)[0]]
    kind = schema.get("type", "object" if "properties" in schema else None)
    if kind == "object":
        props = schema.get("properties") or {}
        return {name: fill_schema(prop, root, text) for name, prop in props.items()}
    if kind == "array":
        return _fill_array(schema, root, text)
    if kind in ("number", "integer"):
        return _fill_number(schema, integer=kind == "integer")
    if kind == "boolean":
        return False
    if kind == "string":
        return _fill_string(schema, nullable, text)
    return None
