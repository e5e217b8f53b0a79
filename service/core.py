"""The service: what one process holds to run turns and events, and `hold(thread)`.

`open_service(settings)` opens persistence (SQLite or PostgreSQL, with the accounting tables),
compiles the graph with its checkpointer, and when it ends drains the webhook events still in flight
(`service.webhooks`) and closes the external HTTP clients.
`Service.hold(thread)` is the one way a turn or an event takes its conversation: this process's
lock, then, on PostgreSQL, the thread's lease row (`checkpoint.leases`: no connection is held while
the turn runs; it lives the largest brand turn deadline plus `SUPPORT_LEASE_WRITE_BACK_S` and is
renewed meanwhile) (invariant 8: concurrent messages on one conversation are serialised).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime

from langgraph.graph.state import CompiledStateGraph

from accounting.costs import CostLedger
from accounting.ledger import Ledger
from accounting.tables import SCHEMA
from checkpoint.factory import Persistence, open_persistence
from config.settings import Settings
from graph.builder import compile_graph
from service.admission import BrandGate
from service.locks import ThreadLocks
from service.webhooks import Notifier
from tools.http import aclose_clients
from workflows.registry import REGISTRY, Registry


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Service:
    graph: CompiledStateGraph
    persistence: Persistence
    locks: ThreadLocks = field(default_factory=ThreadLocks)
    clock: Callable[[], datetime] = field(default=utc_now)
    """The time accounting events are recorded at; tests replace it to cross the inactivity window."""
    notifier: Notifier = field(default_factory=Notifier)
    """The brands' webhook events being delivered in the background (`service.webhooks.notify`)."""
    registry: Registry = field(default=REGISTRY)
    """The workflows the graph runs: what each one writes is read from here (`service.history`)."""
    gate: BrandGate = field(default_factory=BrandGate)
    """Each brand's rate and concurrency limits on turns in this process (`service.admission`)."""
    ledger: Ledger = field(init=False)
    """The billing ledger, on the persistence's database (its tables: `accounting.tables.SCHEMA`)."""
    costs: CostLedger = field(init=False)
    """The per-brand cost ledger of tracking lookups and model calls, on the same database."""

    def __post_init__(self) -> None:
        self.ledger = Ledger(self.persistence.db)
        self.costs = CostLedger(self.persistence.db, lambda: self.clock())  # the service's clock, as billing

    @asynccontextmanager
    async def hold(self, thread: str) -> AsyncIterator[None]:
        """Hold the conversation: this process's lock, then the database's lease, released in reverse."""
        async with self.locks.hold(thread), self.persistence.thread_lock(thread):
            yield


@asynccontextmanager
async def open_service(settings: Settings, registry: Registry = REGISTRY) -> AsyncIterator[Service]:
    """The service on the configured database, its graph running the workflows of `registry`."""
    notifier = Notifier.from_settings(settings)
    ttl = settings.lease_ttl_s()
    async with open_persistence(settings.database_url, settings.data_dir, SCHEMA, ttl) as persistence:
        try:
            graph = compile_graph(persistence.checkpointer, registry)
            yield Service(graph, persistence, notifier=notifier, registry=registry)
        finally:
            await notifier.aclose()
            await aclose_clients()
