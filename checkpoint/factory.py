"""Open the persistence a process needs: the checkpointer and the conversation store.

SQLite under `$DATA_DIR` by default; PostgreSQL when a database URL is given. Schemas are set up
at start. A database that cannot be reached raises `DatabaseUnavailable` naming the URL's host.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
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

from checkpoint.db import Database, PostgresDatabase, SqliteDatabase
from checkpoint.store import ConversationStore


class DatabaseUnavailable(Exception):
    def __init__(self, where: str, reason: str) -> None:
        super().__init__(f"database at {where} is unavailable: {reason}")
        self.where = where


@dataclass
class Persistence:
    checkpointer: BaseCheckpointSaver
    store: ConversationStore
    db: Database

    async def prune(self, thread_id: str) -> None:
        """Drop every checkpoint of the thread but the latest: history lives in the store."""
        if isinstance(self.checkpointer, AsyncPostgresSaver):
            await self.checkpointer.aprune([thread_id], strategy="keep_latest")
            return
        for table in ("checkpoints", "writes"):
            await self.db.execute(
                f"DELETE FROM {table} WHERE thread_id = ? AND checkpoint_id NOT IN "
                "(SELECT MAX(checkpoint_id) FROM checkpoints WHERE thread_id = ? GROUP BY checkpoint_ns)",
                (thread_id, thread_id),
            )


def _where(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.hostname}:{parts.port or 5432}{parts.path}"


@asynccontextmanager
async def open_postgres(url: str, max_size: int = 10) -> AsyncIterator[Persistence]:
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
        await saver.setup()
        db = PostgresDatabase(pool)
        store = ConversationStore(db)
        await store.setup()
        yield Persistence(saver, store, db)
    finally:
        await pool.close()


@asynccontextmanager
async def open_sqlite(path: Path) -> AsyncIterator[Persistence]:
    path.parent.mkdir(parents=True, exist_ok=True)
    async with aiosqlite.connect(path) as conn:
        await conn.execute("PRAGMA journal_mode=WAL")
        saver = AsyncSqliteSaver(conn)
        await saver.setup()
        db = SqliteDatabase(conn)
        store = ConversationStore(db)
        await store.setup()
        yield Persistence(saver, store, db)


def open_persistence(database_url: str | None, data_dir: Path) -> AbstractAsyncContextManager[Persistence]:
    """Postgres when `database_url` is set, else SQLite at `$DATA_DIR/support.sqlite`."""
    if database_url:
        return open_postgres(database_url)
    return open_sqlite(data_dir / "support.sqlite")
