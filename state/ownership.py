"""Who owns a conversation: a status owned by code, stored with the conversation, never decided by a model.

    ai              the AI answers
    awaiting_human  something was handed off (for any reason) and no person has replied yet
    human           a person has replied: the AI is silent until the conversation is handed back
    closed          closed; it reopens to the owner it had when it closed

Transitions (`next_owner`), one pure function of the current owner and what happened:

| happening                                   | from ai / awaiting_human / human | from closed                   |
| ---                                         | ---                              | ---                           |
| a turn handed something off (`handoff`)     | awaiting_human (human stays human) | (a turn reopens first)      |
| `human_reply` (helpdesk event)              | human                            | closed, reopens to human      |
| `handed_back` (helpdesk event)              | ai                               | closed, reopens to ai         |
| `closed`, `ai_closed_without_reply`         | closed, reopens to the owner     | unchanged                     |
| `reopened`, a customer message              | unchanged                        | the owner it had              |

A conversation written before owners were stored gets its owner from its history: the same
function folded over its turns and events in order (`owner_of_history`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Literal

Status = Literal["ai", "awaiting_human", "human", "closed"]
STATUSES: tuple[Status, ...] = ("ai", "awaiting_human", "human", "closed")
OpenStatus = Literal["ai", "awaiting_human", "human"]
Happening = Literal[
    "customer_message",
    "handoff",
    "human_reply",
    "handed_back",
    "closed",
    "ai_closed_without_reply",
    "reopened",
]


@dataclass(frozen=True)
class Owner:
    status: Status = "ai"
    reopens_to: OpenStatus = "ai"
    """The owner a closed conversation goes back to; the current one while it is open."""

    @property
    def person(self) -> bool:
        """A person owns the conversation: the AI neither answers nor acts."""
        return self.status == "human"


def _open(owner: Owner, status: OpenStatus) -> Owner:
    return Owner(status, status)


def next_owner(owner: Owner, happening: Happening) -> Owner:
    """The owner after `happening` (see the module's table)."""
    closed = owner.status == "closed"
    if happening in ("customer_message", "reopened"):
        return _open(owner, owner.reopens_to) if closed else owner
    if happening in ("closed", "ai_closed_without_reply"):
        return owner if closed else replace(owner, status="closed")
    if happening == "human_reply":
        return Owner("closed", "human") if closed else _open(owner, "human")
    if happening == "handed_back":
        return Owner("closed", "ai") if closed else _open(owner, "ai")
    # a handoff: a person is awaited, unless one already owns the conversation
    if closed or owner.status == "human":
        return owner
    return _open(owner, "awaiting_human")


def owner_of_history(happenings: Iterable[Happening]) -> Owner:
    """The owner of a conversation whose history is `happenings`, in order."""
    owner = Owner()
    for happening in happenings:
        owner = next_owner(owner, happening)
    return owner
