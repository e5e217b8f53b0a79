"""OpenAI chat-completions wire shapes: completions, stream chunks, usage, fixed error answers.

Pure functions over a `Reply` whose tool calls already carry their ids. Token counts are an
estimate, characters / 4 rounded up: prompt = the JSON of `messages` and `tools`, completion =
the content plus each call's name and arguments.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sandbox.model.reply import Reply
from sandbox.model.validation import WireError

MODEL_ID = "sandbox"


def unauthorized() -> WireError:
    """Return the 401 the real API gives without a bearer key."""
    return WireError(
        401,
        "You didn't provide an API key. You need to provide your API key in an Authorization header "
        "using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
    )


def server_error() -> WireError:
    """Return the 500 of a failed request."""
    message = "The server had an error while processing your request. Sorry about that!"
    return WireError(500, message, type="server_error")


def overloaded() -> WireError:
    """Return the 503 of an unavailable engine."""
    return WireError(503, "The engine is currently overloaded, please try again later.", type="server_error")


@dataclass(frozen=True)
class Completion:
    """Identity of one answer: shared by its JSON body or all its stream chunks."""

    id: str
    created: int
    model: str


def tokens(chars: int) -> int:
    """Estimate tokens as characters / 4, rounded up."""
    return math.ceil(chars / 4)


def usage(body: Mapping[str, Any], reply: Reply) -> dict[str, int]:
    """Return the usage block: prompt and completion tokens estimated from characters."""
    prompt = json.dumps(body.get("messages")) + (json.dumps(body["tools"]) if body.get("tools") else "")
    completion = (reply.content or "") + "".join(c.name + json.dumps(c.arguments) for c in reply.calls)
    prompt_tokens, completion_tokens = tokens(len(prompt)), tokens(len(completion))
    return {
        "prompt_tokens": prompt_tokens,
        "completion_tokens": completion_tokens,
        "total_tokens": prompt_tokens + completion_tokens,
    }


def tool_calls(reply: Reply, call_ids: Sequence[str]) -> list[dict[str, Any]]:
    """Return the wire `tool_calls` list (arguments as a JSON string)."""
    return [
        {
            "id": call_id,
            "type": "function",
            "function": {"name": c.name, "arguments": json.dumps(c.arguments)},
        }
        for call_id, c in zip(call_ids, reply.calls, strict=True)
    ]


def completion_body(
    meta: Completion, reply: Reply, call_ids: Sequence[str], counted: dict[str, int]
) -> dict[str, Any]:
    """Return a `chat.completion` object."""
    message: dict[str, Any] = {"role": "assistant", "content": reply.content, "refusal": None}
    if reply.calls:
        message["tool_calls"] = tool_calls(reply, call_ids)
    choice = {"index": 0, "message": message, "logprobs": None, "finish_reason": reply.finish_reason}
    return {
        "id": meta.id,
        "object": "chat.completion",
        "created": meta.created,
        "model": meta.model,
        "choices": [choice],
        "usage": counted,
    }


def _chunk(meta: Completion, delta: dict[str, Any], finish: str | None, with_usage: bool) -> dict[str, Any]:
    chunk: dict[str, Any] = {
        "id": meta.id,
        "object": "chat.completion.chunk",
        "created": meta.created,
        "model": meta.model,
        "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}],
    }
    if with_usage:
        chunk["usage"] = None
    return chunk


def _deltas(reply: Reply, call_ids: Sequence[str]) -> Iterator[dict[str, Any]]:
    yield {"role": "assistant", "content": "" if reply.content is not None else None}
    for piece in re.findall(r"\S+\s*|\s+", reply.content or ""):
        yield {"content": piece}
    for index, call in enumerate(tool_calls(reply, call_ids)):
        function = call["function"]
        opening = {**call, "index": index, "function": {"name": function["name"], "arguments": ""}}
        yield {"tool_calls": [opening]}
        yield {"tool_calls": [{"index": index, "function": {"arguments": function["arguments"]}}]}


def stream_events(
    meta: Completion, reply: Reply, call_ids: Sequence[str], counted: dict[str, int] | None
) -> Iterator[str]:
    """Yield the SSE `data:` lines of a streamed answer, ending with `data: [DONE]`.

    With `counted` (stream_options.include_usage) every chunk carries `usage: null` and a last
    chunk with no choices carries the usage, as the real API does.
    """
    with_usage = counted is not None
    for delta in _deltas(reply, call_ids):
        yield _sse(_chunk(meta, delta, None, with_usage))
    yield _sse(_chunk(meta, {}, reply.finish_reason, with_usage))
    if counted is not None:
        yield _sse({**_chunk(meta, {}, None, False), "choices": [], "usage": counted})
    yield "data: [DONE]\n\n"


def _sse(payload: Mapping[str, Any]) -> str:
    return f"data: {json.dumps(payload)}\n\n"
