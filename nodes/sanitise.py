"""`sanitise`: the inbound customer message passes the sanitiser before anything reads it.

The raw text stays in state for audit (`inbound_text`); the model only ever reads `clean_text`.
"""

from __future__ import annotations

from typing import Any

from langchain_core.messages import HumanMessage

from graph.state import Sanitation, TurnState
from tools.sanitiser import clean


async def sanitise(state: TurnState) -> dict[str, Any]:
    cleaned = clean(state["inbound_text"], source="customer")
    report = Sanitation(removed=cleaned.removed, cut=cleaned.cut, flags=[])
    human = HumanMessage(content=cleaned.text, name="customer", id=f"in:{state['message_id']}")
    return {
        "turn": state.get("turn", 0) + 1,
        "clean_text": cleaned.text,
        "sanitation": report,
        "messages": [human],
        "reply": None,
        "handoff": None,
        "intents": [],
    }
