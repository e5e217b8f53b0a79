"""The PostgreSQL thread lease (`checkpoint/leases.py`) as two processes see it: two `ThreadLeases`
with their own holders on one database. Turns queued for one thread run one at a time in the order
they queued, whichever process they are in; a holder that stops renewing loses the thread after its
time to live; no connection is held while a thread is held."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator

import pytest

from checkpoint.factory import Persistence, open_postgres
from checkpoint.leases import ThreadLeases


@pytest.fixture
async def persistence(postgres_url: str) -> AsyncIterator[Persistence]:
    async with open_postgres(postgres_url, lease_ttl_s=30) as opened:
        yield opened


async def test_that_queued_turns_run_one_at_a_time_in_the_order_they_queued_across_processes(
    persistence: Persistence,
) -> None:
    assert persistence.pool is not None and persistence.leases is not None
    pool = persistence.pool
    other = ThreadLeases(pool, ttl_s=30)  # another process's leases
    await other.start()
    ran: list[str] = []
    inside = 0
    all_queued = asyncio.Event()

    async def turn(name: str, leases: ThreadLeases) -> None:
        nonlocal inside
        async with leases.hold("acme:c-order"):
            inside += 1
            assert inside == 1
            ran.append(name)
            if name == "t0":
                await all_queued.wait()  # the others queue behind it meanwhile
            await asyncio.sleep(0.02)
            inside -= 1

    async def queued() -> int:
        async with pool.connection() as conn:
            row = await (
                await conn.execute("SELECT count(*) AS n FROM thread_leases WHERE thread_id = 'acme:c-order'")
            ).fetchone()
        return row["n"] if row else 0

    try:
        tasks = []
        for n in range(6):  # alternately in this process and the other, each queued before the next
            tasks.append(asyncio.create_task(turn(f"t{n}", persistence.leases if n % 2 == 0 else other)))
            while await queued() < n + 1:
                await asyncio.sleep(0.01)
        all_queued.set()
        await asyncio.gather(*tasks)
        assert ran == [f"t{n}" for n in range(6)]
    finally:
        await other.stop()


async def test_that_a_holder_that_stops_renewing_loses_the_thread_after_its_time_to_live(
    persistence: Persistence,
) -> None:
    assert persistence.pool is not None and persistence.leases is not None
    dead = ThreadLeases(persistence.pool, ttl_s=1.5)  # never started: it does not renew, as a killed process
    held = dead.hold("acme:c-dead")
    await held.__aenter__()  # taken and never given back
    started = time.monotonic()
    async with persistence.leases.hold("acme:c-dead"):
        waited = time.monotonic() - started
    assert 1.0 <= waited <= 5.0
    async with persistence.pool.connection() as conn:
        rows = await (
            await conn.execute("SELECT count(*) AS n FROM thread_leases WHERE thread_id = 'acme:c-dead'")
        ).fetchone()
    assert rows is not None and rows["n"] == 0  # the expired row went with the release after it


async def test_that_holding_threads_pins_no_pooled_connection(persistence: Persistence) -> None:
    assert persistence.pool is not None and persistence.leases is not None
    pool, leases = persistence.pool, persistence.leases
    async with contextlib.AsyncExitStack() as held:
        for n in range(pool.max_size + 2):  # more threads held than the pool has connections
            await held.enter_async_context(leases.hold(f"acme:c-held-{n}"))
        async with contextlib.AsyncExitStack() as borrowed:  # and every connection is still free
            for _ in range(pool.max_size):
                await borrowed.enter_async_context(pool.connection(timeout=2))
