"""The request checks the real chat-completions API answers with HTTP 400, word for word.

Exceptions: `WireError(status, message, type, param, code)` is every non-200 answer the server
gives; `validate_request` raises it with status 400 and type `invalid_request_error`.

The history check mirrors the real API: each assistant message with `tool_calls` must be followed,
by the contiguous run of `tool` messages right after it, by a result for every `tool_call_id`
(param names the assistant message); a `tool` message outside such a run, or answering an id its
assistant message did not issue, is an orphan (param names the tool message).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

ROLES = ("system", "assistant", "user", "function", "tool", "developer")
DANGLING = (
    "An assistant message with 'tool_calls' must be followed by tool messages responding to each "
    "'tool_call_id'. The following tool_call_ids did not have response messages: {ids}"
)
ORPHAN = (
    "Invalid parameter: messages with role 'tool' must be a response to a preceeding message with "
    "'tool_calls'."
)


class WireError(Exception):
    """An error answer in the OpenAI shape: `{"error": {message, type, param, code}}`."""

    def __init__(
        self,
        status: int,
        message: str,
        type: str = "invalid_request_error",
        param: str | None = None,
        code: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status, self.message, self.type, self.param, self.code = status, message, type, param, code

    def body(self) -> dict[str, Any]:
        """Return the JSON error body."""
        error = {"message": self.message, "type": self.type, "param": self.param, "code": self.code}
        return {"error": error}


def validate_request(body: object) -> Mapping[str, Any]:
    """Return the request body if the real API would accept it, else raise WireError(400)."""
    if not isinstance(body, Mapping):
        raise WireError(400, "We could not parse the JSON body of your request.")
    if not body.get("model"):
        raise WireError(400, "you must provide a model parameter")
    messages = body.get("messages")
    if messages is None:
        missing = "Missing required parameter: 'messages'."
        raise WireError(400, missing, param="messages", code="missing_required_parameter")
    if not isinstance(messages, list) or not messages:
        raise WireError(
            400,
            "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an "
            "empty array instead.",
            param="messages",
            code="empty_array",
        )
    _check_roles(messages)
    check_tool_pairs(messages)
    return body


def _check_roles(messages: Sequence[Any]) -> None:
    for index, message in enumerate(messages):
        role = message.get("role") if isinstance(message, Mapping) else None
        if role not in ROLES:
            supported = ", ".join(f"'{r}'" for r in ROLES[:-1]) + f", and '{ROLES[-1]}'"
            message_text = f"Invalid value: '{role}'. Supported values are: {supported}."
            raise WireError(400, message_text, param=f"messages[{index}].role", code="invalid_value")
        if role == "tool" and not message.get("tool_call_id"):
            raise WireError(
                400,
                "Missing parameter 'tool_call_id': messages with role 'tool' must have a 'tool_call_id'.",
                param=f"messages.[{index}].tool_call_id",
            )


def _call_ids(message: Mapping[str, Any]) -> list[str]:
    calls = message.get("tool_calls") if message.get("role") == "assistant" else None
    return [str(c.get("id")) for c in calls or [] if isinstance(c, Mapping)]


def check_tool_pairs(messages: Sequence[Mapping[str, Any]]) -> None:
    """Raise WireError(400) on a dangling tool call or an orphan tool message, the first one found."""
    owner, issued, pending = -1, set[str](), list[str]()
    for index, message in enumerate(messages):
        if message.get("role") == "tool":
            call_id = str(message.get("tool_call_id"))
            if call_id not in issued:
                raise WireError(400, ORPHAN, param=f"messages.[{index}].role")
            pending = [p for p in pending if p != call_id]
            continue
        _raise_if_dangling(owner, pending)
        ids = _call_ids(message)
        owner, issued, pending = index, set(ids), ids
    _raise_if_dangling(owner, pending)


def _raise_if_dangling(owner: int, pending: Sequence[str]) -> None:
    if pending:
        raise WireError(400, DANGLING.format(ids=", ".join(pending)), param=f"messages.[{owner}].role")
