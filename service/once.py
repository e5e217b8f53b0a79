"""Answer a keyed request once: a turn by its `message_id`, an event by its `event_id`.

Invariant guarded here (8, nothing lost): the request is claimed in the conversation store before
anything runs; the same id again returns the stored answer without a second run; the same id with
another body is refused (`IdReused`, HTTP 409). An attempt that never stored its answer (the
process died mid-turn: the store says `in_flight`) runs again. All of it happens while the
conversation is held (`Service.hold`); the thread's checkpoints are pruned after a run.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any, ClassVar, Generic, TypeVar

from pydantic import BaseModel

from brands import BrandConfig
from brands.context import thread_id
from checkpoint.store import TurnStart
from service.core import Service

Answer = TypeVar("Answer", bound=BaseModel)


class IdReused(Exception):
    """The id of a turn or an event was used before with another body."""


@dataclass
class Keyed(ABC, Generic[Answer]):
    """One kind of request on a brand's conversation, answered once per id: how it is claimed, run,
    stored and settled."""

    answer: ClassVar[type[BaseModel]]
    """The answer's model: what is stored, and what a replay is read back as."""
    reused: ClassVar[str]
    """Why a conflict is refused, for the caller ("message_id reused with other text")."""

    svc: Service
    brand: BrandConfig
    conversation_id: str
    thread: str = field(init=False)
    """The conversation's thread, held while the request is answered."""

    def __post_init__(self) -> None:
        self.thread = thread_id(self.brand.brand_id, self.conversation_id)

    @abstractmethod
    async def begin(self) -> tuple[TurnStart, dict[str, Any] | None]:
        """Claim the id, or tell how an earlier request with it stands (`checkpoint.store`)."""

    @abstractmethod
    async def run(self) -> Answer:
        """Do the work and answer."""

    @abstractmethod
    async def finish(self, answer: Answer) -> None:
        """Store the answer, so a retry replays it."""

    async def settle(self, answer: Answer) -> None:
        """What follows a stored answer, run again on every replay: it must be idempotent."""
        del answer


async def answer_once(svc: Service, request: Keyed[Answer]) -> Answer:
    """Hold the thread; replay the stored answer, or run, store the answer and settle; then prune.

    Settling runs again on a replay, so a crash between storing and settling heals on the retry.
    """
    async with svc.hold(request.thread):
        started, stored = await request.begin()
        if started == "conflict":
            raise IdReused(request.reused)
        if started == "replay" and stored is not None:
            replayed: Answer = request.answer.model_validate(stored)  # type: ignore[assignment]
            await request.settle(replayed)
            return replayed
        response = await request.run()
        await request.finish(response)
        await request.settle(response)
        await svc.persistence.prune(request.thread)
    return response
