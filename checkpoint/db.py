"""A thin async SQL adapter so one store serves SQLite (embedded default) and PostgreSQL.

Statements are written with `?` placeholders; the Postgres adapter turns them into `%s`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

import aiosqlite
from psycopg_pool import AsyncConnectionPool


class Database(Protocol):
    dialect: str

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> int: ...

    async def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]: ...


class SqliteDatabase:
    dialect = "sqlite"

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        cur = await self._conn.execute(sql, tuple(params))
        await self._conn.commit()
        return cur.rowcount

    async def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        async with self._conn.execute(sql, tuple(params)) as cur:
            return [tuple(r) for r in await cur.fetchall()]


class PostgresDatabase:
    dialect = "postgres"

    def __init__(self, pool: AsyncConnectionPool) -> None:
        self._pool = pool

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        async with self._pool.connection() as conn, conn.cursor() as cur:
            await cur.execute(sql.replace("?", "%s"), tuple(params))  # type: ignore[arg-type]
            return cur.rowcount

    async def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        async with self._pool.connection() as conn, conn.cursor() as cur:
            await cur.execute(sql.replace("?", "%s"), tuple(params))  # type: ignore[arg-type]
            rows = await cur.fetchall()
            return [tuple(r.values()) if isinstance(r, dict) else tuple(r) for r in rows]
