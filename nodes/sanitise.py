"""`sanitise`: the inbound customer message passes the sanitiser before anything reads it.

Invariant guarded here (ARCHITECTURE invariant 5): the raw text stays in state for audit
(`inbound_text`); the model only ever reads `clean_text`. What the sanitiser removed (counts by
class), whether it cut the text, and the injection signals it found are kept in the turn's state
(`sanitation`); a flag is recorded and logged, never a reason to drop the message.
"""

from __future__ import annotations

import logging
from typing import Any

from langchain_core.messages import HumanMessage

from state.schema import Sanitation, TurnState
from tools import metrics
from tools.sanitiser import clean

log = logging.getLogger(__name__)


async def sanitise(state: TurnState) -> dict[str, Any]:
    cleaned = clean(state["inbound_text"], source="customer")
    metrics.count_sanitation(metrics.run_brand(), "customer", cleaned)
    report = Sanitation(removed=cleaned.removed, cut=cleaned.cut, flags=list(cleaned.flags))
    if cleaned.flags:  # counts and flag names only: the text itself never goes to a log line
        log.info(
            "message %s flagged %s; removed %s", state["message_id"], ",".join(cleaned.flags), cleaned.removed
        )
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
