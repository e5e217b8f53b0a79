"""Every table accounting keeps beside the checkpoints, as one schema to set up at start.

`checkpoint.factory.open_persistence(..., schema=SCHEMA)` runs these steps (each `IF NOT EXISTS`
or an upgrade that checks first: `checkpoint.db.SchemaStep`) with its own, under its schema lock
on PostgreSQL.
"""

from __future__ import annotations

from accounting import costs, ledger
from checkpoint.db import SchemaStep

SCHEMA: tuple[SchemaStep, ...] = (*costs.SCHEMA, *ledger.SCHEMA)
