"""A helpdesk event recorded on the conversation's thread, answered once per `event_id`.

Design: an event is recorded on the same thread as the turns, as if the `billing` node wrote it
(`graph.aupdate_state(..., as_node="billing")`): its participation flags (the same table the
`billing` node and the ledger use, `accounting/segments.py`) merge into the checkpoint, and a human
reply joins `messages` there and in the conversation store with author `human`. The ledger then
applies the same event. So the segment this answers, the next turn's and the conversation's
(`service.conversations`) are one value, read from one checkpoint.

Idempotent by `event_id` (same body: the stored answer; other body: `IdReused`). An event on a
conversation the AI never saw creates it (human-only and unanswered tickets count too). It holds
the thread (`Service.hold`), so an event never interleaves with a running turn.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from langchain_core.messages import AIMessage

from accounting.bookkeeping import record
from accounting.segments import EVENT_PARTICIPATION, ConversationEvent, segment_of
from brands import BrandConfig
from checkpoint.store import TurnStart
from service.core import Service
from service.once import Keyed, answer_once
from service.ownership import EVENT_HAPPENING, load_owner, moved, void_confirmations
from service.results import EventResponse, EventType
from state.ownership import Owner, next_owner
from tools.sanitiser import clean

EVENT_KIND: dict[EventType, ConversationEvent] = {
    "human_reply": "human_reply",
    "handed_back": "handed_back",
    "closed": "closed",
    "reopened": "reopened",
    "ai_closed_without_reply": "ai_closed_no_reply",
}
"""The event a helpdesk sends -> the accounting event it is."""


@dataclass(frozen=True)
class Event:
    """A helpdesk event as the API accepted it."""

    event_id: str
    type: EventType
    received: str
    """The whole event as received, canonical JSON (the author kept there for audit): the same
    `event_id` with another is a conflict."""
    text: str | None = None


def _update(kind: ConversationEvent, event_id: str, text: str | None) -> dict[str, Any]:
    update: dict[str, Any] = {"participation": dict(EVENT_PARTICIPATION[kind])}
    if kind == "human_reply":
        update["messages"] = [AIMessage(content=text or "", name="human", id=f"human:{event_id}")]
    return update


@dataclass
class EventOnThread(Keyed[EventResponse]):
    """One helpdesk event on a brand's conversation, answered once per `event_id`."""

    answer: ClassVar[type[EventResponse]] = EventResponse
    reused: ClassVar[str] = "event_id reused with another event"

    event: Event

    async def begin(self) -> tuple[TurnStart, dict[str, Any] | None]:
        store = self.svc.persistence.store
        event = self.event
        return await store.begin_event(
            self.thread, self.brand.brand_id, event.event_id, event.type, event.received
        )

    async def run(self) -> EventResponse:
        svc, event, thread = self.svc, self.event, self.thread
        kind = EVENT_KIND[event.type]
        text = clean(event.text, source="helpdesk").text if event.text is not None else None
        config = {"configurable": {"thread_id": thread}}
        update = _update(kind, event.event_id, text)
        if event.type in ("human_reply", "handed_back"):  # a person spoke: no earlier AI ask stands
            runs = (await svc.graph.aget_state(config)).values.get("runs", {})
            update["runs"] = void_confirmations(runs)
        await svc.graph.aupdate_state(config, update, as_node="billing")
        now = svc.clock()
        row = await load_owner(svc, self.brand.brand_id, self.conversation_id, thread, now)
        owner = next_owner(Owner(row.status, row.reopens_to), EVENT_HAPPENING[event.type])  # type: ignore[arg-type]
        await svc.persistence.store.owners.put(moved(row, owner, now))
        if kind == "human_reply":
            await svc.persistence.store.add_message(
                thread, self.brand.brand_id, "human", f"event:{event.event_id}", text or "", event.text
            )
        events = [(f"event:{event.event_id}", kind)]
        await record(svc.ledger, self.brand, thread, self.conversation_id, events, svc.clock())
        state = (await svc.graph.aget_state(config)).values
        return EventResponse(
            conversation_id=self.conversation_id,
            event_id=event.event_id,
            type=event.type,
            segment=segment_of(state.get("participation", {})),
            status=owner.status,
        )

    async def finish(self, answer: EventResponse) -> None:
        await self.svc.persistence.store.finish_event(self.thread, self.event.event_id, answer.model_dump())


async def record_event(svc: Service, brand: BrandConfig, conversation_id: str, event: Event) -> EventResponse:
    """Record a human reply, a close, a reopen or a silent AI close; answer with the segment."""
    return await answer_once(svc, EventOnThread(svc, brand, conversation_id, event))
