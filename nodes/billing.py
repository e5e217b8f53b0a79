"""`billing`: record who took part this turn, folded into the checkpoint's participation.

Invariant guarded here (7, honest accounting): the node folds the same events the ledger records
(`accounting.segments.turn_events`), so the segment a response shows is the one the ledger bills.
"""

from __future__ import annotations

from typing import Any

from accounting.segments import participation_of, turn_events
from state.schema import TurnState


async def billing(state: TurnState) -> dict[str, Any]:
    handoff = state.get("handoff") or {}
    silenced = state.get("owner") in ("awaiting_human", "human")  # no reply is a person's to give
    events = turn_events(state.get("reply"), handoff.get("reason"), silenced=silenced)
    return {"participation": participation_of(events)}
