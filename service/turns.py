"""Run one conversation turn: durable inbound, one graph run, a stored response.

The per-turn guard lives here: an unexpected exception inside a turn hands that conversation to
a human (reason `internal_error`) with the inbound message kept, and logs the traceback; the
service and every other conversation carry on. A turn is answered once per `message_id`
(`service.once`), then recorded in the ledger. Its runs and writes join the conversation's run
history (`service.history`) in the batch that stores its response.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from accounting.bookkeeping import record
from accounting.segments import GUARD_HANDOFF, segment_of, turn_events
from brands import BrandConfig
from brands.context import BrandContext
from checkpoint.history import TurnHistory
from checkpoint.store import TurnStart
from nodes.compose import ACKNOWLEDGE
from service.core import Service
from service.history import turn_history
from service.once import Keyed, answer_once
from service.ownership import acknowledgement_due, handed_off, iso, load_owner, moved
from service.results import HandoffOut, IntentOut, TurnResponse, WorkflowOut
from service.webhooks import notify
from state.handoffs import reply_with_closing, why
from state.ownership import Owner, next_owner
from state.schema import Participation, WorkflowRun
from tools import deadline, metrics
from tools.sanitiser import clean

log = logging.getLogger(__name__)

INTERNAL_ERROR_REPLY = reply_with_closing(why("internal_error"), [GUARD_HANDOFF], answered=False)


@dataclass(frozen=True)
class Inbound:
    """A customer's message as the API accepted it."""

    message_id: str
    text: str
    customer_id: str
    customer_email: str | None = None
    customer_verified: bool = False
    """Signed in by the brand's integration (the contract's `customer.verified`): writes need it."""


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
    svc: Service, ctx: BrandContext, thread: str, message: Inbound, owner: Mapping[str, Any]
) -> tuple[TurnResponse, str, Mapping[str, Any] | None]:
    """The turn's response, the inbound text as cleaned, and the graph's final state (None when the
    guard answered)."""
    config = {"configurable": {"thread_id": thread}}
    try:
        out = await svc.graph.ainvoke(
            {"message_id": message.message_id, "inbound_text": message.text, **owner},
            config=config,
            context=ctx,
            durability="exit",
        )
        return to_response(ctx.conversation_id, message.message_id, out), out.get("clean_text", ""), out
    except Exception:  # the per-turn guard: one conversation goes to a human, the service stays up
        log.exception("turn failed on thread %s (message %s)", thread, message.message_id)
    previous = await svc.graph.aget_state(config)
    response = TurnResponse(
        conversation_id=ctx.conversation_id,
        message_id=message.message_id,
        reply=INTERNAL_ERROR_REPLY,
        intents=[],
        workflows=[],
        handoff=HandoffOut(reason=GUARD_HANDOFF, unresolved=[]),
        segment=segment_of(previous.values.get("participation", Participation())),
    )
    return response, clean(message.text, source="customer").text, None


@dataclass
class Turn(Keyed[TurnResponse]):
    """One inbound message on a brand's conversation, answered once per `message_id`."""

    answer: ClassVar[type[TurnResponse]] = TurnResponse
    reused: ClassVar[str] = "message_id reused with other text"

    message: Inbound
    clean_text: str | None = field(default=None, init=False)
    """The message as the sanitiser left it, once the turn has run: stored in place of the raw text."""
    history: TurnHistory | None = field(default=None, init=False)
    """The runs and writes of the turn, once it has run: stored with its response."""

    async def begin(self) -> tuple[TurnStart, dict[str, Any] | None]:
        store = self.svc.persistence.store
        return await store.begin_turn(
            self.thread,
            self.brand.brand_id,
            self.message.message_id,
            self.message.text,
            self.message.customer_id,
        )

    async def run(self) -> TurnResponse:
        now = self.svc.clock()
        row = await load_owner(self.svc, self.brand.brand_id, self.conversation_id, self.thread, now)
        owner = next_owner(Owner(row.status, row.reopens_to), "customer_message")  # type: ignore[arg-type]
        if owner.person:  # a person owns the conversation: stored, and nothing else happens
            response = await self._silent(owner)
            await self.svc.persistence.store.owners.put(moved(row, owner, now, last_customer_at=iso(now)))
            data = {"message_id": self.message.message_id, "text": self.clean_text, "status": owner.status}
            await notify(self.svc, self.brand, self.conversation_id, "conversation.customer_wrote", data)
            return response
        ack_due = owner.status == "awaiting_human" and acknowledgement_due(row, now)
        given = {"owner": owner.status, "awaiting": list(row.unresolved), "acknowledge": ack_due}
        response = await self._answered(given, iso(now))
        after = moved(row, owner, now, last_customer_at=iso(now))
        if response.handoff is not None:
            owner = next_owner(owner, "handoff")
            after = handed_off(after, owner, now, response.handoff.reason, response.handoff.unresolved)
        elif response.reply == ACKNOWLEDGE:
            after = moved(after, owner, now, acknowledged_at=iso(now))
        await self.svc.persistence.store.owners.put(after)
        response.status = owner.status
        if owner.status == "awaiting_human" and row.status != "awaiting_human":
            data = {
                "reason": after.handoff_reason,
                "unresolved": list(after.unresolved),
                "since": after.handoff_since,
                "message_id": self.message.message_id,
                "text": self.clean_text,
            }
            await notify(self.svc, self.brand, self.conversation_id, "conversation.awaiting_human", data)
        return response

    async def _silent(self, owner: Owner) -> TurnResponse:
        """The answer while a person owns the conversation: no model, no tool, no reply."""
        self.clean_text = clean(self.message.text, source="customer").text
        state = await self.svc.graph.aget_state({"configurable": {"thread_id": self.thread}})
        return TurnResponse(
            conversation_id=self.conversation_id,
            message_id=self.message.message_id,
            reply=None,
            intents=[],
            workflows=[],
            handoff=None,
            segment=segment_of(state.values.get("participation", Participation())),
            status=owner.status,
        )

    async def _answered(self, owner: Mapping[str, Any], at: str) -> TurnResponse:
        ctx = BrandContext(
            brand_id=self.brand.brand_id,
            customer_id=self.message.customer_id,
            customer_email=self.message.customer_email,
            customer_verified=self.message.customer_verified,
            conversation_id=self.conversation_id,
            config=self.brand,
            costs=self.svc.costs,
        )
        started = time.perf_counter()
        with deadline.turn_deadline(self.brand.turn_deadline_s):  # the turn holds its conversation's lock
            response, self.clean_text, out = await _guarded_run(
                self.svc, ctx, self.thread, self.message, owner
            )
        if out is not None:
            self.history = turn_history(out, self.svc.registry, self.brand, self.message.message_id, at)
        metrics.observe_turn(
            self.brand.brand_id, time.perf_counter() - started, getattr(response.handoff, "reason", None)
        )
        return response

    async def finish(self, answer: TurnResponse) -> None:
        store = self.svc.persistence.store
        await store.finish_turn(
            self.thread,
            self.brand.brand_id,
            self.message.message_id,
            answer.model_dump(),
            self.clean_text,
            self.history,
        )

    async def settle(self, answer: TurnResponse) -> None:
        """Record the turn in the ledger: the same events the `billing` node folded into the checkpoint.

        Keyed by message id, so the replay after a crash between storing and recording heals it."""
        reason = answer.handoff.reason if answer.handoff else None
        silenced = answer.status in ("awaiting_human", "human")
        kinds = turn_events(answer.reply, reason, silenced=silenced)
        events = [(f"turn:{answer.message_id}:{kind}", kind) for kind in kinds]
        await record(self.svc.ledger, self.brand, self.thread, self.conversation_id, events, self.svc.clock())


async def run_turn(svc: Service, brand: BrandConfig, conversation_id: str, message: Inbound) -> TurnResponse:
    """Answer one inbound message, exactly once per `message_id`."""
    return await answer_once(svc, Turn(svc, brand, conversation_id, message))
