"""Read a conversation: its whole message log, the current turn's workflows, handoff and segment."""

from __future__ import annotations

from accounting.segments import segment_of
from brands import BrandConfig
from brands.context import thread_id
from service.core import Service
from service.results import ConversationOut, HandoffOut, MessageOut
from service.turns import workflows_of
from state.schema import Participation


async def read_conversation(svc: Service, brand: BrandConfig, conversation_id: str) -> ConversationOut | None:
    """The brand's conversation, or None when this brand has none by that id (tier one)."""
    thread = thread_id(brand.brand_id, conversation_id)
    messages = await svc.persistence.store.messages(thread)
    if not messages and not await svc.persistence.store.known(thread):  # a ticket closed unanswered
        return None
    state = (await svc.graph.aget_state({"configurable": {"thread_id": thread}})).values
    handoff = state.get("handoff")
    return ConversationOut(
        conversation_id=conversation_id,
        messages=[MessageOut(author=m.author, text=m.text, time=m.time) for m in messages],  # type: ignore[arg-type]
        workflows=workflows_of(state.get("runs", {}), state.get("turn", 0)),
        handoff=HandoffOut(**handoff) if handoff else None,
        segment=segment_of(state.get("participation", Participation())),
    )
