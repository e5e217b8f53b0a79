"""A thin async SQL adapter so one store serves SQLite (embedded default) and PostgreSQL.

Statements are written with `?` placeholders; the Postgres adapter turns them into `%s`.

`batch()` runs several statements as one unit of work, so a turn pays one commit instead of one
per statement:
- PostgreSQL: one transaction on one pooled connection, committed at the end, rolled back if
  the block raises (the statements before the error are not kept).
- SQLite: the statements share one commit at the end of the block, also when it raises (the
  statements before the error are kept, as they were with a commit per statement). The process
  shares one connection, so a rollback could also drop another task's uncommitted write; the
  commit is what keeps that from happening.
Either way everything in the block is durable once the block ends: a caller that needs a row durable
before it goes on (the inbound message before the graph runs) ends the block first. On PostgreSQL
nothing of the block is visible or durable before that; on SQLite another task's commit on the
shared connection may make part of an open block durable early (no worse than the commit per
statement this replaced; SQLite mode is single-process, see README).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any, Protocol, TypeAlias

import aiosqlite
from psycopg import AsyncConnection
from psycopg_pool import AsyncConnectionPool


class Database(Protocol):
    dialect: str

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> int: ...

    async def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]: ...

    def batch(self) -> AbstractAsyncContextManager[Database]:
        """The same database, its statements committed together when the block ends."""
        ...


SchemaStep: TypeAlias = str | Callable[[Database], Awaitable[None]]
"""One step of a schema set up at start: a `CREATE ... IF NOT EXISTS` statement, or an upgrade that
looks at the database before it alters it (SQLite has no `ADD COLUMN IF NOT EXISTS`). Each step
must be safe to run again on a database it already set up."""


async def set_up(db: Database, schema: Sequence[SchemaStep]) -> None:
    """Run each step of `schema` in order."""
    for step in schema:
        if isinstance(step, str):
            await db.execute(step)
        else:
            await step(db)


class SqliteDatabase:
    dialect = "sqlite"

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        cur = await self._conn.execute(sql, tuple(params))
        await self._conn.commit()
        return cur.rowcount

    async def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return [tuple(r) for r in await self._conn.execute_fetchall(sql, tuple(params))]

    @asynccontextmanager
    async def batch(self) -> AsyncIterator[Database]:
        try:
            yield _SqliteBatch(self._conn)
        finally:
            await self._conn.commit()


class _SqliteBatch:
    """Statements on the shared connection, committed by the `batch()` that made this."""

    dialect = "sqlite"

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        cur = await self._conn.execute(sql, tuple(params))
        return cur.rowcount

    async def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return [tuple(r) for r in await self._conn.execute_fetchall(sql, tuple(params))]

    @asynccontextmanager
    async def batch(self) -> AsyncIterator[Database]:
        yield self  # nested: the outer batch commits


def _rows(rows: Sequence[Any]) -> list[tuple[Any, ...]]:
    return [tuple(r.values()) if isinstance(r, dict) else tuple(r) for r in rows]


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
            return _rows(await cur.fetchall())

    @asynccontextmanager
    async def batch(self) -> AsyncIterator[Database]:
        async with self._pool.connection() as conn, conn.transaction():
            yield _PostgresTransaction(conn)


class _PostgresTransaction:
    """Statements on one pooled connection inside the transaction `batch()` opened."""

    dialect = "postgres"

    def __init__(self, conn: AsyncConnection[Any]) -> None:
        self._conn = conn

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        async with self._conn.cursor() as cur:
            await cur.execute(sql.replace("?", "%s"), tuple(params))  # type: ignore[arg-type]
            return cur.rowcount

    async def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        async with self._conn.cursor() as cur:
            await cur.execute(sql.replace("?", "%s"), tuple(params))  # type: ignore[arg-type]
            return _rows(await cur.fetchall())

    @asynccontextmanager
    async def batch(self) -> AsyncIterator[Database]:
        yield self  # nested: the outer transaction commits
