"""One turn at a time per conversation thread, inside this process.

Double texts queue behind the running turn and never interleave. Across processes the database
holds the thread too (`checkpoint.factory.Persistence.thread_lock`, a lease row per waiting turn:
`checkpoint.leases`); `Service.hold` takes both, so a process queues at most one lease row per
thread. SQLite mode is single-process by design.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class ThreadLocks:
    def __init__(self) -> None:
        self._locks: dict[str, asyncio.Lock] = {}
        self._users: dict[str, int] = {}

    @asynccontextmanager
    async def hold(self, thread_id: str) -> AsyncIterator[None]:
        lock = self._locks.setdefault(thread_id, asyncio.Lock())
        self._users[thread_id] = self._users.get(thread_id, 0) + 1
        try:
            async with lock:
                yield
        finally:
            self._users[thread_id] -= 1
            if not self._users[thread_id]:
                del self._users[thread_id]
                del self._locks[thread_id]
