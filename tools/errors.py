"""The tool layer's exception family, its error codes, and the error results the model reads.

    ToolError(tool, code, safe)         a tool could not produce a result
     +-- UpstreamError(system, status)  the external system answered with an error status
     |    +-- NotFound(system, what)    404, or a record that is not the customer's
     +-- UpstreamTimeout(system)        no answer in time
     +-- OutOfTime(system)              the turn's deadline left no time to send the request
     +-- CredentialMissing(env_var)     the brand's credential variable is unset

Each carries a `code` from `ToolErrorCode` for the code that reads results, and a short `safe`
reason for the model; the exception itself goes to the log. `tool` is the tool's name when the
raiser is a tool body; errors raised below the tools (HTTP, credentials, carriers), which serve
several tools, leave it None, and the executor names the call.

Invariant guarded here: the contract between tools and workflows is the code, never the wording.
Every error result is built by `error_message`: its content is `Error: <safe reason>` for the model,
its artifact `{"error": {"tool", "code", "text"}}` (plain data, so it survives checkpointing) for
code; `error_code` is the one reader.
"""

from __future__ import annotations

from typing import Literal, get_args

from langchain_core.messages import ToolCall, ToolMessage
from typing_extensions import TypedDict

ToolErrorCode = Literal[
    "not_found",  # the record does not exist (the system answered 404) or is not this customer's
    "upstream_error",  # the external system answered an error status, or could not be reached
    "upstream_timeout",  # the external system did not answer in time
    "credential_missing",  # the brand's credential variable is unset outside dev
    "not_confirmed",  # a write arrived without the confirmation the policy guard sets
    "confirmation_mismatch",  # a write names another record than the one the customer confirmed
    "terms_changed",  # the confirmed terms (price, interval, amount) changed: a new confirmation is needed
    "already_fulfilled",  # the order has shipped or was cancelled: its address can no longer change
    "not_refundable",  # the order is not paid in full (already refunded, pending...): no refund is written
    "invalid_arguments",  # the model's arguments do not fit the tool's schema
    "tool_not_allowed",  # the tool is not in the running workflow's allowlist
    "write_unconfirmed",  # a write went out but its answer was lost: it may or may not have been applied
    "deadline",  # the turn's deadline left no time to send the request: nothing was sent
    "unexpected",  # anything else a tool raised; also an error result that carries no code
    "policy_refused",  # the workflow's policy guard refused the call before it ran (workflows/kit/subgraph.py)
]
"""Why a tool call failed: the one home of the codes (tests/tools/test_errors.py checks that each is
produced somewhere and that nothing produces another)."""

CODES: frozenset[str] = frozenset(get_args(ToolErrorCode))


class ToolErrorFacts(TypedDict):
    """What an error result's artifact holds under `"error"`."""

    tool: str
    """The tool the call named."""
    code: ToolErrorCode
    text: str
    """The safe reason the model read after `Error: `."""


class ToolError(Exception):
    def __init__(self, tool: str | None, code: ToolErrorCode, safe: str) -> None:
        super().__init__(safe)
        self.tool = tool
        self.code: ToolErrorCode = code
        self.safe = safe


class UpstreamError(ToolError):
    def __init__(
        self, system: str, status: int, *, code: ToolErrorCode = "upstream_error", safe: str = ""
    ) -> None:
        super().__init__(None, code=code, safe=safe or f"{system} answered {status}")
        self.system = system
        self.status = status

    @property
    def transient(self) -> bool:
        return self.status == 429 or self.status >= 500


class NotFound(UpstreamError):
    def __init__(self, system: str, what: str) -> None:
        super().__init__(system, 404, code="not_found", safe=f"{what} was not found")


class UpstreamTimeout(ToolError):
    def __init__(self, system: str) -> None:
        super().__init__(None, code="upstream_timeout", safe=f"{system} did not answer in time")
        self.system = system


class OutOfTime(ToolError):
    def __init__(self, system: str) -> None:
        super().__init__(None, code="deadline", safe=f"no time was left in this turn to ask {system}")
        self.system = system


class CredentialMissing(ToolError):
    def __init__(self, env_var: str) -> None:
        super().__init__(None, code="credential_missing", safe="the store credential is not configured")
        self.env_var = env_var


def error_message(call: ToolCall, code: ToolErrorCode, reason: str) -> ToolMessage:
    """Answer `call` with an error result: `Error: <reason>` for the model, the code for the code."""
    facts = ToolErrorFacts(tool=call["name"], code=code, text=reason)
    return ToolMessage(
        content=f"Error: {reason}",
        tool_call_id=call["id"] or "",
        name=call["name"],
        status="error",
        artifact={"error": facts},
    )


def error_facts(message: ToolMessage) -> ToolErrorFacts | None:
    """The tool, code and reason of an error result built by `error_message`, or None."""
    if message.status != "error" or not isinstance(message.artifact, dict):
        return None
    facts = message.artifact.get("error")
    if not isinstance(facts, dict) or facts.get("code") not in CODES:
        return None
    return ToolErrorFacts(tool=str(facts.get("tool")), code=facts["code"], text=str(facts.get("text")))


def error_code(message: ToolMessage) -> ToolErrorCode | None:
    """Why the call behind `message` failed, or None when it succeeded.

    An error result without a known code (made before codes existed, by `state.tool_calls.heal`,
    or carrying a code since removed) reads `unexpected`: a failure whose cause code cannot tell.
    """
    if message.status != "error":
        return None
    facts = error_facts(message)
    return facts["code"] if facts is not None else "unexpected"
