"""A conversation's owner as the service keeps it: loaded (or derived from history), changed by turns and
events, saved with the conversation. The transitions are `state.ownership.next_owner`'s.

What each owner means for a customer's message (service/turns.py, the graph's `route` and `compose`):
- `ai`: the AI answers as always;
- `awaiting_human`: asks that only wait for the person (no ask, a request for a person, an ask
  already handed off) get one acknowledgement the first time after the handoff, then at most once
  an hour (`ACK_EVERY`), else no reply; any other enabled ask runs its workflow, unless the brand
  says `while_awaiting_human: acknowledge_only`;
- `human`: the message is stored, and nothing else happens: no model call, no tool, no reply.
A person's reply and a hand-back void every open AI confirmation (`void_confirmations`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from checkpoint.owners import OwnerRow
from service.core import Service
from state.ownership import Happening, Owner, next_owner
from state.schema import WorkflowRun

ACK_EVERY = timedelta(hours=1)
"""How often at most a waiting customer is told again that a colleague has the conversation."""
VOIDED_REASON = "person_took_over"
"""The handoff reason of an AI run whose open confirmation a person's reply voided."""
EVENT_HAPPENING: Mapping[str, Happening] = {
    "human_reply": "human_reply",
    "handed_back": "handed_back",
    "closed": "closed",
    "ai_closed_without_reply": "ai_closed_without_reply",
    "reopened": "reopened",
}
"""A helpdesk event type -> what happened to the conversation's owner."""


def iso(at: datetime) -> str:
    return at.isoformat(timespec="milliseconds")


def happenings_of(history: Iterable[tuple[str, str, dict[str, Any] | None]]) -> list[Happening]:
    """A stored history (turns and events, in order) as what happened to the owner."""
    out: list[Happening] = []
    for _, kind, response in history:
        if kind == "turn":
            out.append("customer_message")
            if response and response.get("handoff"):
                out.append("handoff")
        elif kind in EVENT_HAPPENING:
            out.append(EVENT_HAPPENING[kind])
    return out


async def load_owner(
    svc: Service, brand_id: str, conversation_id: str, thread: str, now: datetime
) -> OwnerRow:
    """The conversation's stored owner; one written before owners were stored gets it from its history."""
    owners = svc.persistence.store.owners
    row = await owners.get(thread)
    if row is not None:
        return row
    history = await owners.history(thread)
    owner, handoff = Owner(), None
    for at, kind, response in history:
        for happening in happenings_of([(at, kind, response)]):
            before = owner
            owner = next_owner(owner, happening)
            if happening == "handoff" and owner.status == "awaiting_human" and response:
                since = handoff[0] if handoff and before.status == "awaiting_human" else at
                handoff = (since, response["handoff"])
            elif owner.status not in ("awaiting_human", "closed"):
                handoff = None
    since = history[-1][0] if history else iso(now)
    return OwnerRow(
        thread_id=thread, brand_id=brand_id, conversation_id=conversation_id, status=owner.status,
        reopens_to=owner.reopens_to, since=since, updated_at=since,
        handoff_reason=handoff[1].get("reason") if handoff else None,
        unresolved=tuple(handoff[1].get("unresolved") or ()) if handoff else (),
        handoff_since=handoff[0] if handoff else None,
    )  # fmt: skip


def moved(row: OwnerRow, owner: Owner, now: datetime, **changes: Any) -> OwnerRow:
    """`row` with `owner` (a new `since` when the status changes) and `changes`."""
    since = row.since if owner.status == row.status else iso(now)
    fields = {"status": owner.status, "reopens_to": owner.reopens_to, "since": since, "updated_at": iso(now)}
    if owner.status in ("ai", "human"):  # nobody is awaited any more
        fields |= {"handoff_reason": None, "unresolved": (), "handoff_since": None, "acknowledged_at": None}
    return OwnerRow(**{**row.__dict__, **fields, **changes})


def handed_off(
    row: OwnerRow, owner: Owner, now: datetime, reason: str, unresolved: Iterable[str]
) -> OwnerRow:
    """`row` after a turn that handed `unresolved` off for `reason`."""
    waiting_already = row.status == "awaiting_human" and row.handoff_since is not None
    asks = tuple(dict.fromkeys([*row.unresolved, *unresolved])) if waiting_already else tuple(unresolved)
    since = row.handoff_since if waiting_already else iso(now)
    acked = row.acknowledged_at if waiting_already else None
    return moved(
        row, owner, now, handoff_reason=reason, unresolved=asks, handoff_since=since, acknowledged_at=acked
    )


def acknowledgement_due(row: OwnerRow, now: datetime) -> bool:
    """A waiting customer is acknowledged the first time after the handoff, then at most once an hour."""
    if row.acknowledged_at is None:
        return True
    return now - datetime.fromisoformat(row.acknowledged_at) >= ACK_EVERY


def void_confirmations(runs: Mapping[str, WorkflowRun]) -> dict[str, WorkflowRun]:
    """Every run with an open ask, offer or confirmation, closed: a later "yes" executes nothing the
    AI asked before a person spoke. Returned with a higher version, so the state merge keeps them."""
    voided: dict[str, WorkflowRun] = {}
    for name, run in runs.items():
        facts = run["facts"]
        open_terms = [k for k in ("asked", "confirmed", "offer", "proposal") if facts.get(k)]
        if run["status"] != "waiting" and not open_terms:
            continue
        voided[name] = WorkflowRun(
            **{
                **run,
                "status": "handed_off" if run["status"] == "waiting" else run["status"],
                "handoff_reason": VOIDED_REASON if run["status"] == "waiting" else run["handoff_reason"],
                "facts": {**facts, **dict.fromkeys(open_terms)},
                "version": run["version"] + 1,
            }
        )
    return voided
