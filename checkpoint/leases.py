"""One turn at a time per conversation across processes on PostgreSQL: a lease row per waiting turn.

Why a lease table and not an advisory lock: a session-level advisory lock lives on a connection, so
every turn in flight held a pooled connection for its whole run, model calls included, and a process
of 10 connections ran at most 5 turns at once. A row is held by no connection: a turn takes its
ticket and later gives it back in two short transactions, and between them holds nothing but a row.

- Order: each turn that wants the thread inserts a row, its `ticket` from one sequence, under a
  transaction-scoped advisory lock on the thread (held for that insert only), so tickets of one thread
  are committed in the order they are drawn. The holder is the row with the lowest live ticket:
  queued turns run in the order they arrived, not in the order they happened to poll, and each stores
  its inbound message (`ConversationStore.begin_turn`) once it holds the thread, so the log's order
  is the tickets' order.
- Expiry: a row lives `ttl_s` (longer than the largest brand `turn_deadline_s` plus the write-back;
  the service sets it) and this process renews all its rows, running or waiting, every third of that
  in one UPDATE. A process that dies (kill -9) stops renewing: its rows expire and the next ticket
  runs; a client's retry of the dead turn's `message_id` queues like any turn and finds it `in_flight`.
- Liveness: a row also names its process's LISTEN connection (`pg_backend_pid()` and its
  `backend_start`, which together never name two connections). A row whose connection is gone from
  `pg_stat_activity` is dead at once: PostgreSQL ends the backend of a killed process as soon as the
  socket closes, so a kill -9 frees the thread in well under a second, not after `ttl_s`. The expiry
  stays as the backstop for what keeps its connection and stops working (a frozen or partitioned
  process). A process whose listener reconnects points its rows at the new connection; until it has
  one (the first moments of a start), its rows carry no connection and only the expiry applies.
- Waking: releasing a row NOTIFYs the thread on `CHANNEL`; one LISTEN connection per process wakes
  its waiters. A poll with backoff (50 ms doubling to 1 s) covers what no notification announces (an
  expired row) and a listener that lost its connection.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import psycopg
from psycopg_pool import AsyncConnectionPool

SCHEMA = (
    """CREATE TABLE IF NOT EXISTS thread_leases (
        ticket BIGSERIAL PRIMARY KEY, thread_id TEXT NOT NULL, holder TEXT NOT NULL,
        expires_at TIMESTAMPTZ NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS thread_leases_by_thread ON thread_leases (thread_id, ticket)",
    "ALTER TABLE thread_leases ADD COLUMN IF NOT EXISTS holder_pid INTEGER",
    "ALTER TABLE thread_leases ADD COLUMN IF NOT EXISTS holder_started TIMESTAMPTZ",
)
LIVE = (
    "expires_at > now() AND (holder_pid IS NULL OR EXISTS (SELECT 1 FROM pg_stat_activity a "
    "WHERE a.pid = holder_pid AND a.backend_start = holder_started))"
)
"""A row that still holds or waits: not expired, and its process's connection still open."""
LISTENER_READY_S = 5.0
"""How long `start` waits for the listener's first connection (its rows name it from then on)."""
CHANNEL = "support_thread_leases"
POLL_FIRST_S = 0.05
POLL_MAX_S = 1.0

log = logging.getLogger(__name__)


class ThreadLeases:
    """The lease rows of one process: taken, waited for, renewed and released."""

    def __init__(self, pool: AsyncConnectionPool, ttl_s: float) -> None:
        self.pool = pool
        self.ttl_s = ttl_s
        self.holder = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        """Who holds a row: for an operator reading the table."""
        self._mine: set[int] = set()
        """Tickets of this process still wanted (waiting or held): what the renewer renews."""
        self._waiters: dict[str, set[asyncio.Event]] = {}
        self._tasks: list[asyncio.Task[None]] = []
        self._backend: tuple[int, object] | None = None
        """The listener connection's (pid, backend_start): what marks this process alive."""
        self._listening = asyncio.Event()

    async def start(self) -> None:
        self._tasks = [asyncio.create_task(self._renew()), asyncio.create_task(self._listen())]
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._listening.wait(), LISTENER_READY_S)

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []

    @asynccontextmanager
    async def hold(self, thread: str) -> AsyncIterator[None]:
        """Queue for `thread`, hold it once every earlier ticket is gone, give it back at the end."""
        ticket, first = await self._enqueue(thread)
        self._mine.add(ticket)
        try:
            if not first:
                ticket = await self._wait(thread, ticket)
            yield
        finally:
            self._mine.discard(ticket)
            await asyncio.shield(self._release(thread, ticket))

    async def _enqueue(self, thread: str) -> tuple[int, bool]:
        """Draw a ticket; whether it is the thread's first live one (one short transaction)."""
        async with self.pool.connection() as conn, conn.transaction():
            await conn.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", (thread,))
            await conn.execute(f"DELETE FROM thread_leases WHERE thread_id = %s AND NOT ({LIVE})", (thread,))
            pid, started = self._backend or (None, None)
            row = await (
                await conn.execute(
                    "INSERT INTO thread_leases (thread_id, holder, expires_at, holder_pid, holder_started) "
                    "VALUES (%s, %s, now() + make_interval(secs => %s), %s, %s) RETURNING ticket",
                    (thread, self.holder, self.ttl_s, pid, started),
                )
            ).fetchone()
            ticket = int(row["ticket"])  # type: ignore[index]
            head = await self._head(conn, thread)
        return ticket, head == ticket

    @staticmethod
    async def _head(conn: psycopg.AsyncConnection, thread: str) -> int | None:
        row = await (
            await conn.execute(
                f"SELECT min(ticket) AS head FROM thread_leases WHERE thread_id = %s AND {LIVE}", (thread,)
            )
        ).fetchone()
        return row["head"] if row else None  # type: ignore[index]

    async def _wait(self, thread: str, ticket: int) -> int:
        """Wait until `ticket` heads the thread's queue; the ticket held (a new one if ours expired)."""
        event = asyncio.Event()
        self._waiters.setdefault(thread, set()).add(event)
        delay = POLL_FIRST_S
        try:
            while True:
                event.clear()  # before the look: a release noticed after it wakes the wait below
                async with self.pool.connection() as conn:
                    head = await self._head(conn, thread)
                if head == ticket:
                    return ticket
                if head is None or head > ticket:  # ours expired while we waited: queue again
                    log.warning("lease ticket %s of %s expired while waiting; queuing again", ticket, thread)
                    self._mine.discard(ticket)
                    ticket, first = await self._enqueue(thread)
                    self._mine.add(ticket)
                    if first:
                        return ticket
                try:
                    await asyncio.wait_for(event.wait(), delay)
                    delay = POLL_FIRST_S
                except TimeoutError:
                    delay = min(delay * 2, POLL_MAX_S)
        finally:
            waiting = self._waiters[thread]
            waiting.discard(event)
            if not waiting:
                del self._waiters[thread]

    async def _release(self, thread: str, ticket: int) -> None:
        async with self.pool.connection() as conn, conn.transaction():
            await conn.execute(
                f"DELETE FROM thread_leases WHERE ticket = %s OR (thread_id = %s AND NOT ({LIVE}))",
                (ticket, thread),
            )
            await conn.execute("SELECT pg_notify(%s, %s)", (CHANNEL, thread))

    async def _renew(self) -> None:
        """Every third of the time to live, push back the expiry of every row this process wants, and
        drop rows that expired (a dead process's, on a thread nobody wrote to since)."""
        while True:
            await asyncio.sleep(self.ttl_s / 3)
            tickets = list(self._mine)
            try:
                async with self.pool.connection() as conn:
                    await conn.execute(f"DELETE FROM thread_leases WHERE NOT ({LIVE})")
                    if not tickets:
                        continue
                    rows = await (
                        await conn.execute(
                            "UPDATE thread_leases SET expires_at = now() + make_interval(secs => %s) "
                            "WHERE ticket = ANY(%s) AND expires_at > now() RETURNING ticket",
                            (self.ttl_s, tickets),
                        )
                    ).fetchall()
            except psycopg.Error as exc:
                log.warning("renewing %d thread leases failed: %s", len(tickets), exc)
                continue
            lost = (set(tickets) - {r["ticket"] for r in rows}) & self._mine  # type: ignore[index]
            if lost:
                log.error("thread leases expired before renewal (tickets %s): the process stalled", lost)

    async def _listen(self) -> None:
        """Wake this process's waiters when another turn gives a thread back (LISTEN on `CHANNEL`)."""
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(self.pool.conninfo, autocommit=True) as conn:
                    await conn.execute(f"LISTEN {CHANNEL}")
                    await self._mark_alive(conn)
                    async for note in conn.notifies():
                        for event in self._waiters.get(note.payload, ()):
                            event.set()
            except psycopg.Error as exc:
                log.warning("lease listener lost its connection (%s); waiters poll meanwhile", exc)
                await asyncio.sleep(1)

    async def _mark_alive(self, listener: psycopg.AsyncConnection) -> None:
        """Name the listener's connection as this process's sign of life, on this process's rows too."""
        cur = await listener.execute(
            "SELECT pid, backend_start FROM pg_stat_activity WHERE pid = pg_backend_pid()"
        )
        pid, started = await cur.fetchone()  # type: ignore[misc]
        self._backend = (pid, started)
        await listener.execute(
            "UPDATE thread_leases SET holder_pid = %s, holder_started = %s WHERE holder = %s",
            (pid, started, self.holder),
        )
        self._listening.set()
