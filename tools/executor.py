"""The tool executor: runs a model's tool calls inside one workflow's walls.

Invariants guarded here: a call to a tool outside the workflow's allowlist is refused, logged and
counted, and the model gets an error result (scoped tools); every call gets exactly one result in
the same step, whatever the tool raises (no dangling call); every result passes the sanitiser and
reaches the model as data; every error result carries its code (`tools.errors.error_message`).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from langchain_core.messages import ToolCall, ToolMessage
from pydantic import ValidationError

from brands.context import BrandContext
from tools import metrics
from tools.envelope import wrap
from tools.errors import ToolError, UpstreamError, UpstreamTimeout, error_message
from tools.spec import ToolResult, ToolSpec
from tools.third_party import UNTRUSTED

log = logging.getLogger(__name__)


@dataclass
class Executed:
    messages: list[ToolMessage]
    refused: int
    failed: int


async def _run_one(call: ToolCall, spec: ToolSpec, ctx: BrandContext) -> ToolMessage:
    try:
        args = spec.args_schema.model_validate(call["args"])
    except ValidationError as exc:
        fields = ", ".join(str(e["loc"][0]) for e in exc.errors() if e["loc"])
        return error_message(call, "invalid_arguments", f"invalid arguments ({fields or 'arguments'})")
    try:
        result = await spec.body(args, ctx)
    except ToolError as exc:
        # A system that could not be reached or answered 5xx is the operator's to fix: said at warning
        # level (uvicorn shows it), with the transport error behind it; a lookup that found nothing is not.
        level = logging.WARNING if isinstance(exc, UpstreamError | UpstreamTimeout) else logging.INFO
        cause = f" ({type(exc.__cause__).__name__}: {exc.__cause__})" if exc.__cause__ else ""
        log.log(
            level, "tool %s failed (%s) for brand %s: %s%s", spec.name, exc.code, ctx.brand_id, exc, cause
        )
        return error_message(call, exc.code, exc.safe)
    except Exception:  # the executor is one of the two places allowed to catch everything
        log.exception("tool %s raised for brand %s", spec.name, ctx.brand_id)
        return error_message(call, "unexpected", "the lookup failed unexpectedly")
    text, artifact, untrusted = (
        (result.text, result.artifact, result.untrusted)
        if isinstance(result, ToolResult)
        else (result, None, ())
    )
    if untrusted:  # for the reply guard, from state
        artifact = {**(artifact or {}), UNTRUSTED: [dict(u) for u in untrusted]}
    content, cleaned = wrap(spec.name, text, [u["text"] for u in untrusted])
    metrics.count_sanitation(ctx.brand_id, "tool_result", cleaned)
    sanitation = {"removed": cleaned.removed, "cut": cleaned.cut, "flags": list(cleaned.flags)}
    return ToolMessage(
        content=content,
        tool_call_id=call["id"] or "",
        name=spec.name,
        artifact=artifact,
        response_metadata={"sanitation": sanitation},  # state only: never sent to a model
    )


async def execute(
    calls: Sequence[ToolCall], allowed: Sequence[ToolSpec], ctx: BrandContext, workflow: str
) -> Executed:
    """Run `calls` in order; refuse any tool not in `allowed`."""
    by_name = {s.name: s for s in allowed}
    messages: list[ToolMessage] = []
    refused = failed = 0
    for call in calls:
        spec = by_name.get(call["name"])
        if spec is None:
            refused += 1
            metrics.count_refused_tool(ctx.brand_id, workflow, call["name"])
            log.warning("refused tool %r in workflow %s for brand %s", call["name"], workflow, ctx.brand_id)
            reason = f"tool {call['name']!r} is not available in this workflow"
            messages.append(error_message(call, "tool_not_allowed", reason))
            continue
        result = await _run_one(call, spec, ctx)
        failed += result.status == "error"
        messages.append(result)
    return Executed(messages, refused, failed)
