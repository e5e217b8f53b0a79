"""Open the persistence a process needs: the checkpointer, the conversation store, the database.

SQLite under `$DATA_DIR` by default; PostgreSQL when a database URL is given. Schemas are set up
at start: the checkpointer's, the conversation store's and the tables the caller names (`schema`,
e.g. the accounting ledgers'), so this package knows nothing of the layers above it. A database
that cannot be reached raises `DatabaseUnavailable` naming the URL's host.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import aiosqlite
from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver
from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver
from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool, PoolTimeout

from checkpoint.db import Database, PostgresDatabase, SchemaStep, SqliteDatabase, set_up
from checkpoint.leases import SCHEMA as LEASES_SCHEMA
from checkpoint.leases import ThreadLeases
from checkpoint.store import ConversationStore

PRUNE_ABOVE = 8
"""Checkpoints a Postgres thread may hold before it is pruned to its latest."""

DEFAULT_LEASE_TTL_S = 130.0
"""A thread lease's time to live when the caller names none: the largest brand turn deadline (120 s)
plus 10 s to write the answer back."""

SCHEMA_LOCK = 0x5_0AA7_5E7
"""Advisory-lock key held while a process sets up the schema."""


class DatabaseUnavailable(Exception):
    def __init__(self, where: str, reason: str) -> None:
        super().__init__(f"database at {where} is unavailable: {reason}")
        self.where = where


@dataclass
class Persistence:
    checkpointer: BaseCheckpointSaver
    store: ConversationStore
    db: Database
    pool: AsyncConnectionPool | None = None

    leases: ThreadLeases | None = None
    """PostgreSQL: the lease rows that hold a thread across processes (`checkpoint.leases`)."""

    @asynccontextmanager
    async def thread_lock(self, thread_id: str) -> AsyncIterator[None]:
        """One turn at a time per thread across processes: a lease row (`checkpoint.leases`), which
        holds no connection while the turn runs.

        SQLite mode is single-process by design; the in-process lock in `service.locks` is enough there.
        """
        if self.leases is None:
            yield
            return
        async with self.leases.hold(thread_id):
            yield

    async def prune(self, thread_id: str, keep_at_most: int = PRUNE_ABOVE) -> None:
        """Drop every checkpoint of the thread but the latest once it holds more than `keep_at_most`.

        History lives in the conversation store. On Postgres `aprune` costs 7-12 ms, so it runs about
        once every `keep_at_most` turns (a count is ~0.5 ms); SQLite's delete is cheap every turn.
        """
        if isinstance(self.checkpointer, AsyncPostgresSaver):
            rows = await self.db.fetchall(
                "SELECT count(*) FROM checkpoints WHERE thread_id = ?", (thread_id,)
            )
            if rows[0][0] > keep_at_most:
                await self.checkpointer.aprune([thread_id], strategy="keep_latest")
            return
        async with self.db.batch() as db:
            for table in ("checkpoints", "writes"):
                await db.execute(
                    f"DELETE FROM {table} WHERE thread_id = ? AND checkpoint_id NOT IN "
                    "(SELECT MAX(checkpoint_id) FROM checkpoints WHERE thread_id = ? GROUP BY checkpoint_ns)",
                    (thread_id, thread_id),
                )


def _where(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.hostname}:{parts.port or 5432}{parts.path}"


@asynccontextmanager
async def open_postgres(
    url: str,
    schema: Sequence[SchemaStep] = (),
    max_size: int = 10,
    lease_ttl_s: float = DEFAULT_LEASE_TTL_S,
) -> AsyncIterator[Persistence]:
    pool = AsyncConnectionPool(
        url, open=False, min_size=1, max_size=max_size,
        kwargs={"autocommit": True, "prepare_threshold": 0, "row_factory": dict_row},
    )  # fmt: skip
    try:
        await pool.open(wait=True, timeout=5)
    except PoolTimeout as exc:
        await pool.close()
        raise DatabaseUnavailable(_where(url), "no connection within 5 s") from exc
    try:
        saver = AsyncPostgresSaver(pool)  # type: ignore[arg-type]
        db = PostgresDatabase(pool)
        store = ConversationStore(db)
        async with pool.connection() as conn:
            # Processes starting together on a fresh database must not race the migrations. Poll with
            # the try-variant: a session blocked inside pg_advisory_lock keeps a transaction open, and
            # the saver's CREATE INDEX CONCURRENTLY would wait for it for ever.
            while not (
                await (await conn.execute("SELECT pg_try_advisory_lock(%s) AS ok", (SCHEMA_LOCK,))).fetchone()
            )["ok"]:  # type: ignore[index]
                await asyncio.sleep(0.05)
            try:
                await saver.setup()
                await store.setup()
                await set_up(db, (*LEASES_SCHEMA, *schema))
            finally:
                await conn.execute("SELECT pg_advisory_unlock(%s)", (SCHEMA_LOCK,))
        leases = ThreadLeases(pool, lease_ttl_s)
        await leases.start()
        try:
            yield Persistence(saver, store, db, pool, leases)
        finally:
            await leases.stop()
    finally:
        await pool.close()


@asynccontextmanager
async def open_sqlite(path: Path, schema: Sequence[SchemaStep] = ()) -> AsyncIterator[Persistence]:
    path.parent.mkdir(parents=True, exist_ok=True)
    async with aiosqlite.connect(path) as conn:
        await conn.execute("PRAGMA journal_mode=WAL")
        saver = AsyncSqliteSaver(conn)
        await saver.setup()
        db = SqliteDatabase(conn)
        store = ConversationStore(db)
        await store.setup()
        await set_up(db, schema)
        yield Persistence(saver, store, db)


def open_persistence(
    database_url: str | None,
    data_dir: Path,
    schema: Sequence[SchemaStep] = (),
    lease_ttl_s: float = DEFAULT_LEASE_TTL_S,
) -> AbstractAsyncContextManager[Persistence]:
    """Postgres when `database_url` is set, else SQLite at `$DATA_DIR/support.sqlite`.

    `schema`: further steps to run at start, in order: `CREATE ... IF NOT EXISTS` statements or
    upgrades (`checkpoint.db.SchemaStep`). `lease_ttl_s`: how long a PostgreSQL thread lease lives
    unrenewed (`checkpoint.leases`)."""
    if database_url:
        return open_postgres(database_url, schema, lease_ttl_s=lease_ttl_s)
    return open_sqlite(data_dir / "support.sqlite", schema)
