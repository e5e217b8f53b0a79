"""`billing`: record who took part in the conversation this turn, and derive its segment.

The segment is a pure function of who replied and whether the conversation closed (invariant 7):
only the AI alone counts as automated; one human line makes the conversation free.
"""

from __future__ import annotations

from typing import Any, Literal

from graph.state import Participation, TurnState

Segment = Literal["ai_only", "ai_and_human", "human_only", "ai_closed_no_reply", "nobody"]


def segment_of(p: Participation) -> Segment:
    ai, human = bool(p.get("ai_replied")), bool(p.get("human_replied"))
    if ai and human:
        return "ai_and_human"
    if ai:
        return "ai_only"
    if human:
        return "human_only"
    if p.get("ai_closed_no_reply"):
        return "ai_closed_no_reply"
    return "nobody"


async def billing(state: TurnState) -> dict[str, Any]:
    return {"participation": Participation(ai_replied=bool(state.get("reply")))}
