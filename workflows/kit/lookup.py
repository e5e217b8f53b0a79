"""The decision of a lookup-only workflow: the lookup succeeded, failed, or was not made yet."""

from __future__ import annotations

from collections.abc import Sequence

from langchain_core.messages import AnyMessage

from state.schema import RunStatus
from tools.errors import error_facts
from workflows.kit.policy import Outcome
from workflows.kit.subgraph import failed_lookup
from workflows.kit.transcript import errors, final_text, good, results


def standard_outcome(
    transcript: Sequence[AnyMessage], tool: str, on_success: RunStatus, suffix: str = ""
) -> Outcome:
    """Decide a lookup workflow: `tool` succeeded -> `on_success`; a lookup error -> handed off;
    not found -> ask to check the number; no lookup -> waiting for the customer (the model asked
    for what it needs)."""
    answered = results(transcript)
    text = final_text(transcript)
    if good(results(transcript, tool)):
        return Outcome(on_success, (text + suffix).strip())
    missing = [f["text"] for m in answered if (f := error_facts(m)) is not None and f["code"] == "not_found"]
    if missing:
        return Outcome("waiting", (text or f"I looked, but {missing[0]}.") + " Could you check the number?")
    if errors(answered):
        return failed_lookup(errors(answered))
    return Outcome("waiting", text or "Could you tell me a little more?")
