"""Every table accounting keeps beside the checkpoints, as one schema to set up at start.

`checkpoint.factory.open_persistence(..., schema=SCHEMA)` runs these statements (each `IF NOT
EXISTS`) with its own, under its schema lock on PostgreSQL.
"""

from __future__ import annotations

from accounting import costs, ledger

SCHEMA: tuple[str, ...] = (*costs.SCHEMA, *ledger.SCHEMA)
