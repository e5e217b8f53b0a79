"""Scan a whole database for text: every table, every row, every column, text and binary alike.

Erasure tests use it to show a customer's text and email are gone from every table the service and
LangGraph keep (checkpoint blobs are msgpack, whose strings are stored as UTF-8 bytes; PostgreSQL's
JSONB columns are read back as JSON), without naming the tables: a table added later is scanned too.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import psycopg

from config.settings import Settings


def _bytes(value: Any) -> bytes:
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False).encode()
    return str(value).encode()


def _sqlite_tables(path: Path) -> Iterator[tuple[str, list[tuple[Any, ...]]]]:
    conn = sqlite3.connect(path)
    try:
        names = [
            n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        ]
        for name in names:
            yield name, conn.execute(f'SELECT * FROM "{name}"').fetchall()
    finally:
        conn.close()


def _postgres_tables(url: str) -> Iterator[tuple[str, list[tuple[Any, ...]]]]:
    with psycopg.connect(url) as conn:
        names = [
            n
            for (n,) in conn.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
                "AND table_type = 'BASE TABLE' ORDER BY table_name"
            ).fetchall()
        ]
        for name in names:
            yield name, conn.execute(f'SELECT * FROM "{name}"').fetchall()


def scan(settings: Settings, needles: Sequence[str]) -> dict[str, dict[str, int]]:
    """For every table of the service's database: how many of its rows hold each needle."""
    tables = (
        _postgres_tables(settings.database_url)
        if settings.database_url
        else _sqlite_tables(settings.data_dir / "support.sqlite")
    )
    found: dict[str, dict[str, int]] = {}
    for name, rows in tables:
        texts = [b"\x00".join(_bytes(v) for v in row if v is not None) for row in rows]
        found[name] = {needle: sum(needle.encode() in text for text in texts) for needle in needles}
    return found


def hits(found: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
    """Only the tables with a hit, and only their needles that hit."""
    return {t: {n: c for n, c in counts.items() if c} for t, counts in found.items() if any(counts.values())}
