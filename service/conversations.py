"""Read a conversation: its whole message log, the latest turn's workflows and handoff, its segment;
and what the person taking it over needs: who owns it, what a person is awaited for, every run and
write of every turn (the store's run history), and the confirmation the AI left open (the checkpoint).
"""

from __future__ import annotations

from accounting.segments import segment_of
from brands import BrandConfig
from brands.context import thread_id
from checkpoint.owners import OwnerRow
from service.core import Service
from service.history import open_confirmation, run_out, write_out
from service.ownership import load_owner
from service.results import ConversationOut, HandoffOut, MessageOut, PendingHandoffOut
from service.turns import workflows_of
from state.schema import Participation


def pending_handoff(owner: OwnerRow) -> PendingHandoffOut | None:
    """What a person is awaited for, or None while nobody is awaited."""
    if owner.status != "awaiting_human" or owner.handoff_since is None:
        return None
    return PendingHandoffOut(
        reason=owner.handoff_reason or "", unresolved=list(owner.unresolved), since=owner.handoff_since
    )


async def read_conversation(svc: Service, brand: BrandConfig, conversation_id: str) -> ConversationOut | None:
    """The brand's conversation, or None when this brand has none by that id (tier one)."""
    thread = thread_id(brand.brand_id, conversation_id)
    store = svc.persistence.store
    messages = await store.messages(thread)
    if not messages and not await store.known(thread):  # a ticket closed unanswered
        return None
    state = (await svc.graph.aget_state({"configurable": {"thread_id": thread}})).values
    handoff = state.get("handoff")
    owner = await load_owner(svc, brand.brand_id, conversation_id, thread, svc.clock())
    writes = await store.history.writes([thread])
    return ConversationOut(
        conversation_id=conversation_id,
        messages=[MessageOut(author=m.author, text=m.text, time=m.time) for m in messages],  # type: ignore[arg-type]
        workflows=workflows_of(state.get("runs", {}), state.get("turn", 0)),
        handoff=HandoffOut(**handoff) if handoff else None,
        segment=segment_of(state.get("participation", Participation())),
        status=owner.status,  # type: ignore[arg-type]  # stored from `state.ownership.Status`
        pending_handoff=pending_handoff(owner),
        runs=[run_out(r) for r in await store.history.runs(thread)],
        writes=[write_out(w) for w in writes.get(thread, [])],
        open_confirmation=open_confirmation(state.get("runs", {}), svc.registry),
    )
