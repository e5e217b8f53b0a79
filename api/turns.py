"""Run one conversation turn: durable inbound, one graph run, a stored response.

The per-turn guard lives here: an unexpected exception inside a turn hands that conversation to
a human (reason `internal_error`) with the inbound message kept, and logs the traceback; the
service and every other conversation carry on.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from fastapi import HTTPException
from langgraph.graph.state import CompiledStateGraph

from accounting.bookkeeping import record
from accounting.costs import CostLedger
from accounting.ledger import Ledger
from accounting.segments import segment_of, turn_events
from api.locks import ThreadLocks
from api.schemas import HandoffOut, InboundMessage, IntentOut, TurnResponse, WorkflowOut
from brands import BrandConfig
from brands.context import BrandContext
from checkpoint.factory import Persistence
from state.schema import Participation, WorkflowRun
from tools import metrics
from tools.sanitiser import clean

log = logging.getLogger(__name__)

INTERNAL_ERROR_REPLY = (
    "Sorry, something went wrong on our side. I have passed your message to a colleague, who will reply here."
)


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Service:
    graph: CompiledStateGraph
    persistence: Persistence
    locks: ThreadLocks = field(default_factory=ThreadLocks)
    clock: Callable[[], datetime] = field(default=utc_now)
    """The time accounting events are recorded at; tests replace it to cross the inactivity window."""
    ledger: Ledger = field(init=False)
    """The billing ledger, on the persistence's database (its tables: `accounting.tables.SCHEMA`)."""
    costs: CostLedger = field(init=False)
    """The per-brand cost ledger of tracking lookups, on the same database."""

    def __post_init__(self) -> None:
        self.ledger = Ledger(self.persistence.db)
        self.costs = CostLedger(self.persistence.db)


def thread_id(brand_id: str, conversation_id: str) -> str:
    return f"{brand_id}:{conversation_id}"


def workflows_of(runs: Mapping[str, WorkflowRun], turn: int) -> list[WorkflowOut]:
    return [WorkflowOut(name=r["name"], status=r["status"]) for r in runs.values() if r["turn"] == turn]


def to_response(conversation_id: str, message_id: str, out: Mapping[str, Any]) -> TurnResponse:
    handoff = out.get("handoff")
    return TurnResponse(
        conversation_id=conversation_id,
        message_id=message_id,
        reply=out.get("reply"),
        intents=[IntentOut(name=i["name"], confidence=i["confidence"]) for i in out.get("intents", [])],
        workflows=workflows_of(out.get("runs", {}), out.get("turn", 0)),
        handoff=HandoffOut(**handoff) if handoff else None,
        segment=segment_of(out.get("participation", Participation())),
    )


async def _guarded_run(
    svc: Service, ctx: BrandContext, thread: str, body: InboundMessage
) -> tuple[TurnResponse, str]:
    config = {"configurable": {"thread_id": thread}}
    try:
        out = await svc.graph.ainvoke(
            {"message_id": body.message_id, "inbound_text": body.text},
            config=config,
            context=ctx,
            durability="exit",
        )
        return to_response(ctx.conversation_id, body.message_id, out), out.get("clean_text", "")
    except Exception:  # the per-turn guard: one conversation goes to a human, the service stays up
        log.exception("turn failed on thread %s (message %s)", thread, body.message_id)
    previous = await svc.graph.aget_state(config)
    response = TurnResponse(
        conversation_id=ctx.conversation_id,
        message_id=body.message_id,
        reply=INTERNAL_ERROR_REPLY,
        intents=[],
        workflows=[],
        handoff=HandoffOut(reason="internal_error", unresolved=[]),
        segment=segment_of(previous.values.get("participation", Participation())),
    )
    return response, clean(body.text, source="customer").text


async def run_turn(
    svc: Service, brand: BrandConfig, conversation_id: str, body: InboundMessage
) -> TurnResponse:
    """Answer one inbound message, exactly once per `message_id`."""
    thread = thread_id(brand.brand_id, conversation_id)
    store = svc.persistence.store
    async with svc.locks.hold(thread), svc.persistence.thread_lock(thread):
        started, stored = await store.begin_turn(thread, brand.brand_id, body.message_id, body.text)
        if started == "conflict":
            raise HTTPException(409, "message_id reused with other text")
        if started == "replay" and stored is not None:
            replayed = TurnResponse.model_validate(stored)
            await _account_turn(svc, brand, conversation_id, body.message_id, replayed)  # heals a crash
            return replayed
        ctx = BrandContext(
            brand_id=brand.brand_id,
            customer_id=body.customer.id,
            customer_email=body.customer.email,
            conversation_id=conversation_id,
            config=brand,
            costs=svc.costs,
        )
        started = time.perf_counter()
        response, clean_text = await _guarded_run(svc, ctx, thread, body)
        metrics.observe_turn(
            brand.brand_id, time.perf_counter() - started, getattr(response.handoff, "reason", None)
        )
        await store.finish_turn(thread, brand.brand_id, body.message_id, response.model_dump(), clean_text)
        await _account_turn(svc, brand, conversation_id, body.message_id, response)
        await svc.persistence.prune(thread)
    return response


async def _account_turn(
    svc: Service, brand: BrandConfig, conversation_id: str, message_id: str, response: TurnResponse
) -> None:
    """Record the turn in the ledger: the same events the `billing` node folded into the checkpoint."""
    reason = response.handoff.reason if response.handoff else None
    events = [(f"turn:{message_id}:{kind}", kind) for kind in turn_events(response.reply, reason)]
    thread = thread_id(brand.brand_id, conversation_id)
    await record(svc.ledger, brand, thread, conversation_id, events, svc.clock())
