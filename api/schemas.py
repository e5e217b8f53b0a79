"""Request bodies of the v1 HTTP contract and its 4xx body (see shared/ARCHITECTURE.md).

What is validated at the door lives here; the response bodies are what the service answers
(`service.results`, `accounting.report`).
"""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import Query
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictBool

from service.results import EventType

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$"


_SURROGATE = re.compile("[\ud800-\udfff]")


def _storable(value: str) -> str:
    # The raw text is kept for audit, and PostgreSQL text cannot hold U+0000: refuse it at the door
    # with a reason rather than fail the turn after the message was accepted. A lone UTF-16
    # surrogate (JSON "\ud800") is no character at all: it cannot be encoded as UTF-8 to be stored,
    # logged or answered.
    if "\x00" in value:
        raise ValueError("must not contain NUL (U+0000) characters")
    if _SURROGATE.search(value):
        raise ValueError("must not contain lone surrogates (U+D800 to U+DFFF)")
    return value


StoredText = Annotated[str, AfterValidator(_storable)]
"""A string we store as received: any text but NUL and lone surrogates. Every free-text string of
the contract is one (ids and e-mail addresses also have a pattern)."""


Limit = Annotated[int, Query(ge=1, le=200, description="rows per page, 1 to 200 (default 50)")]
"""A list's page size."""
Cursor = Annotated[
    str | None,
    Query(max_length=512, description="the `next_cursor` of the previous page; absent for the first page"),
]
"""Where a list's next page starts: opaque, as the previous page returned it."""


class Customer(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: StoredText = Field(min_length=1, max_length=128)
    email: StoredText | None = Field(default=None, max_length=254, pattern=r"^[^@\s]+@[^@\s]+$")
    verified: StrictBool = Field(
        default=False,
        description="true only when the brand's integration has signed this customer in (their session, "
        "not a typed email): writes (a refund, a cancellation, an address change) need it; an unverified "
        "customer may look an order up by its number and the email on it, and a write is handed to a person",
    )


class InboundMessage(BaseModel):
    model_config = ConfigDict(extra="forbid")
    message_id: str = Field(pattern=ID_PATTERN)
    text: StoredText = Field(min_length=1, max_length=20_000)
    customer: Customer


class ConversationEventIn(BaseModel):
    """A helpdesk event on a conversation: a human agent's reply, a close, a reopen."""

    model_config = ConfigDict(extra="forbid")
    event_id: str = Field(pattern=ID_PATTERN)
    type: EventType
    author: StoredText | None = Field(default=None, max_length=128)
    """The human agent (helpdesk user id or name); kept for audit, never shown to a model."""
    text: StoredText | None = Field(default=None, max_length=20_000)
    """A human reply's text (sanitised, then shown with author `human`); ignored for other types."""


class Problem(BaseModel):
    """Every 4xx body: `detail` says why (a sentence, or FastAPI's list of field errors on a 422)."""

    detail: str | list[dict[str, object]]


_WHY = {
    400: "a cursor this list did not return",
    401: "missing or unknown API key",
    404: "no such conversation for this brand (another brand's conversation is not found, never 403)",
    409: "the id was used before with another body",
    413: "the body is larger than the configured cap (counted as received, whatever the framing)",
    429: "the brand is over its rate or concurrency limit on turns; Retry-After says when to try again",
}


def problems(*codes: int) -> dict[int | str, dict[str, object]]:
    """OpenAPI `responses=` for the 4xx an operation can answer, each with its reason."""
    return {code: {"model": Problem, "description": _WHY[code]} for code in codes}
