"""Each model call's tokens, costed at the brand's price, into the cost ledger beside the carrier lookups.

A call's tokens are the endpoint's own `usage` (prompt and completion tokens, which LangChain
carries as the answer's `usage_metadata`); their price is the brand's `model_price`
(`brands.ModelPrice.cost`). A model call is made with `costed(workflow, ctx)` as its config: the
callback writes the call's row when the call answers, before `ainvoke` returns, keyed by the call's
run id (one row per call). A call that fails or is cut off by the deadline reports no usage and
writes nothing. Structured output (the router's fallback) is costed the same way: the callback sees
the model's answer before it is parsed.

Invariant 7 (honest accounting): a ledger write that fails fails the call like a failed lookup
write would, so a turn never runs uncosted calls silently.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any
from uuid import UUID

from langchain_core.callbacks import AsyncCallbackHandler
from langchain_core.outputs import ChatGeneration, LLMResult
from langchain_core.runnables import RunnableConfig
from langgraph.runtime import get_runtime

from brands.context import BrandContext, thread_id

log = logging.getLogger(__name__)


def usage_of(result: LLMResult) -> tuple[int, int, str]:
    """The prompt and completion tokens the endpoint reported for this answer, and the model's name."""
    input_tokens = output_tokens = 0
    model = str((result.llm_output or {}).get("model_name") or "")
    for generations in result.generations:
        for generation in generations:
            if not isinstance(generation, ChatGeneration):
                continue
            usage: Mapping[str, Any] = getattr(generation.message, "usage_metadata", None) or {}
            input_tokens += int(usage.get("input_tokens") or 0)
            output_tokens += int(usage.get("output_tokens") or 0)
            model = model or str(generation.message.response_metadata.get("model_name") or "")
    return input_tokens, output_tokens, model or "unknown"


class ModelCallCosts(AsyncCallbackHandler):
    """Writes one cost-ledger row per model call that answered, for one run's brand and workflow."""

    raise_error = True

    def __init__(self, ctx: BrandContext, workflow: str) -> None:
        self.ctx = ctx
        self.workflow = workflow

    async def on_llm_end(self, response: LLMResult, *, run_id: UUID, **_: Any) -> None:
        if self.ctx.costs is None:
            return
        input_tokens, output_tokens, model = usage_of(response)
        price = self.ctx.brand.model_price
        await self.ctx.costs.record_model_call(
            call_id=str(run_id),
            brand_id=self.ctx.brand_id,
            thread_id=thread_id(self.ctx.brand_id, self.ctx.conversation_id),
            workflow=self.workflow,
            model=model,
            input_tokens=input_tokens,
            output_tokens=output_tokens,
            cost=price.cost(input_tokens, output_tokens),
            currency=price.currency,
        )


def _run_context() -> BrandContext | None:
    try:
        context = get_runtime().context
    except (RuntimeError, KeyError):
        return None
    return context if isinstance(context, BrandContext) else None


def costed(workflow: str, ctx: BrandContext | None = None) -> RunnableConfig:
    """The config a model call of `workflow` is made with: its tokens are costed for the run's brand
    (`ctx`, else the running graph's context). Outside a run, or without a ledger, nothing is written."""
    ctx = ctx or _run_context()
    if ctx is None or ctx.costs is None:
        log.debug("no cost ledger in this run; model calls of %s not costed", workflow)
        return {}
    return {"callbacks": [ModelCallCosts(ctx, workflow)]}
