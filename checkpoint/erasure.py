"""Erase conversations: every row of text we keep for a thread, and its LangGraph checkpoints.

What a thread holds, table by table (SQLite and PostgreSQL alike), and what erasing it does:
- `conversation_messages` (every message's text, raw and cleaned), `conversation_turns` (each turn's
  stored response, with the reply), `conversation_events` (each helpdesk event's response),
  `conversation_owners` (the owner and the pending handoff), `conversation_runs` and
  `conversation_writes` (the run history: what was written, to which order or address),
  `conversation_customers` (whose conversation it is): deleted, in one batch;
- the checkpoints (SQLite: `checkpoints`, `writes`; PostgreSQL: `checkpoints`, `checkpoint_blobs`,
  `checkpoint_writes`): deleted with the saver's own `adelete_thread`, so every table LangGraph keeps
  for the thread goes, whatever its version adds.
The billing tables (`accounting.ledger`) hold no text and are kept: a conversation's counts do not
change when its text is erased. The cost ledger's one personal field, a parcel's tracking number, is
the caller's to blank (`accounting.costs.CostLedger.forget_tracking`).

Which threads: a customer's (`customer_threads`, by the `customer.id` the API recorded with each turn;
a conversation stored before that was recorded has no customer and is found only by retention), or a
brand's conversations quiet since a cut-off (`quiet_threads`, for `retention_days`).
"""

from __future__ import annotations

from collections import Counter

from checkpoint.db import Database
from checkpoint.factory import Persistence

ERASED = (
    ("messages", "conversation_messages"),
    ("turns", "conversation_turns"),
    ("events", "conversation_events"),
    ("owners", "conversation_owners"),
    ("runs", "conversation_runs"),
    ("writes", "conversation_writes"),
    ("customers", "conversation_customers"),
)
"""What erasing a thread deletes from the conversation store: (what the count is called, table)."""


async def customer_threads(db: Database, brand: str, customer_id: str) -> list[str]:
    """The brand's threads in which `customer_id` wrote, in order."""
    rows = await db.fetchall(
        "SELECT DISTINCT thread_id FROM conversation_customers WHERE brand_id = ? AND customer_id = ? "
        "ORDER BY thread_id",
        (brand, customer_id),
    )
    return [thread for (thread,) in rows]


async def quiet_threads(db: Database, brand: str, before: str) -> list[str]:
    """The brand's threads whose latest message, turn and event are all older than `before` (ISO, UTC)."""
    rows = await db.fetchall(
        "SELECT thread_id FROM (SELECT thread_id, created_at FROM conversation_messages WHERE brand_id = ? "
        "UNION ALL SELECT thread_id, created_at FROM conversation_turns WHERE brand_id = ? "
        "UNION ALL SELECT thread_id, created_at FROM conversation_events WHERE brand_id = ?) activity "
        "GROUP BY thread_id HAVING MAX(created_at) < ? ORDER BY thread_id",
        (brand, brand, brand, before),
    )
    return [thread for (thread,) in rows]


async def erase_thread(persistence: Persistence, thread: str) -> Counter[str]:
    """Delete all the thread's checkpoints, then its rows from the conversation store; how many of each.

    The caller holds the thread (no turn may write to it meanwhile). The record of whose thread it is
    goes last, in the store's batch: a process that dies half-way leaves the thread findable, and the
    same erasure again finishes it."""
    erased: Counter[str] = Counter()
    rows = await persistence.db.fetchall("SELECT count(*) FROM checkpoints WHERE thread_id = ?", (thread,))
    erased["checkpoints"] += int(rows[0][0])
    await persistence.checkpointer.adelete_thread(thread)
    async with persistence.db.batch() as db:
        for name, table in ERASED:
            erased[name] += max(await db.execute(f"DELETE FROM {table} WHERE thread_id = ?", (thread,)), 0)
    return erased
