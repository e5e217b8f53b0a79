"""Tier-two counters, per brand, in one Prometheus registry that `GET /metrics` serves.

Nodes, tools and the API count here with one call each; this module imports no layer above it
(imports point inward: nodes and tools never import `api`). Every series carries the `brand`
label fixed by the API key (invariant 6). Label values the model can choose (a refused tool's
name) are bounded, so a compromised model cannot grow the registry without limit.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import Any

from langgraph.runtime import get_runtime
from prometheus_client import CollectorRegistry, Counter, Histogram, multiprocess

from tools.sanitiser import Cleaned

MULTIPROCESS = bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))
"""Several worker processes serve one port (`WORKERS=N make run`): each writes its series to files
in `PROMETHEUS_MULTIPROC_DIR` (prometheus_client's multiprocess mode) and `REGISTRY` adds up all of
them, so whichever worker answers `GET /metrics` reports the whole service."""

REGISTRY = CollectorRegistry(auto_describe=not MULTIPROCESS)
"""What `GET /metrics` serves: this process's series, or every worker's added up."""
_OWN = CollectorRegistry(auto_describe=True) if MULTIPROCESS else REGISTRY
"""Where the series below are registered: `REGISTRY` itself, or (multiprocess) a registry nobody
serves, whose values live in this worker's files."""
if MULTIPROCESS:
    multiprocess.MultiProcessCollector(REGISTRY)

REFUSED_TOOL_CALLS = Counter(
    "support_refused_tool_calls",
    "Tool calls refused because the tool is not in the workflow's allowlist.",
    ["brand", "workflow", "tool"],
    registry=_OWN,
)
POLICY_REFUSALS = Counter(
    "support_policy_refusals",
    "Policy-bearing actions refused by a precondition checked in code.",
    ["brand", "workflow", "rule"],
    registry=_OWN,
)
SANITISER_REMOVALS = Counter(
    "support_sanitiser_removals",
    "Characters the sanitiser removed, by source and character class.",
    ["brand", "source", "kind"],
    registry=_OWN,
)
INJECTION_FLAGS = Counter(
    "support_injection_flags",
    "Suspected injection signals the sanitiser found, by source and signal.",
    ["brand", "source", "flag"],
    registry=_OWN,
)
GUARDED_RELAYS = Counter(
    "support_guarded_relays",
    "Clauses of a reply that relayed third-party text, replaced by a summary (reply guard), by kind.",
    ["brand", "workflow", "kind"],
    registry=REGISTRY,
)
HANDOFFS = Counter(
    "support_handoffs", "Turns handed to a human, by reason.", ["brand", "reason"], registry=_OWN
)
REPAIRS = Counter(
    "support_repairs", "Dangling tool calls healed by the repair node.", ["brand"], registry=_OWN
)
MODEL_CALLS = Counter(
    "support_model_calls", "Model calls that answered, by workflow.", ["brand", "workflow"], registry=_OWN
)
MODEL_TOKENS = Counter(
    "support_model_tokens",
    "Tokens the model endpoint reported, by workflow and kind (input, output).",
    ["brand", "workflow", "kind"],
    registry=_OWN,
)
WEBHOOK_EVENTS = Counter(
    "support_webhook_events",
    "Webhook events by type and final outcome (delivered, rejected, failed, unsigned, dropped, invalid).",
    ["brand", "type", "outcome"],
    registry=_OWN,
)
WEBHOOK_RETRIES = Counter(
    "support_webhook_retries",
    "Webhook delivery attempts that failed and were retried, by what failed (network, 429, 5xx).",
    ["brand", "reason"],
    registry=_OWN,
)
TURNS_REFUSED = Counter(
    "support_turns_refused",
    "Turns answered 429 because their brand was over a limit, by limit (rate, concurrency).",
    ["brand", "limit"],
    registry=REGISTRY,
)
TURN_SECONDS = Histogram(
    "support_turn_seconds",
    "Wall time of one graph turn (replays excluded).",
    ["brand"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0),
    registry=_OWN,
)

MAX_TOOL_LABELS = 64
_TOOL_NAME = re.compile(r"[A-Za-z0-9_.-]{1,64}")
_seen_tools: set[str] = set()


def bounded_tool(name: str) -> str:
    """`name` as a label value, or `other` once it is malformed or the label set is full."""
    if not _TOOL_NAME.fullmatch(name):
        return "other"
    if name not in _seen_tools and len(_seen_tools) >= MAX_TOOL_LABELS:
        return "other"
    _seen_tools.add(name)
    return name


def run_brand() -> str:
    """The brand of the graph run this call is part of (`unknown` outside a run)."""
    try:
        context = get_runtime().context
    except (RuntimeError, KeyError):
        return "unknown"
    return str(getattr(context, "brand_id", None) or "unknown")


def count_refused_tool(brand: str, workflow: str, tool: str) -> None:
    REFUSED_TOOL_CALLS.labels(brand, workflow, bounded_tool(tool)).inc()


def count_policy_refusal(brand: str, workflow: str, rule: str) -> None:
    """Count a refused policy-bearing action; `rule` is a fixed name such as `amount_over_cap`."""
    POLICY_REFUSALS.labels(brand, workflow, rule).inc()


def count_sanitation(brand: str, source: str, cleaned: Cleaned) -> None:
    for kind, n in cleaned.removed.items():
        if n:
            SANITISER_REMOVALS.labels(brand, source, kind).inc(n)
    for flag in cleaned.flags:
        INJECTION_FLAGS.labels(brand, source, flag).inc()


def count_guarded_relay(brand: str, workflow: str, kind: str) -> None:
    GUARDED_RELAYS.labels(brand=brand, workflow=workflow, kind=kind).inc()


def count_handoff(brand: str, reason: str | None) -> None:
    if reason:
        HANDOFFS.labels(brand, reason).inc()


def count_repairs(brand: str, healed: int) -> None:
    if healed:
        REPAIRS.labels(brand).inc(healed)


def count_model_call(brand: str, workflow: str, message: Any) -> None:
    """Count one answered model call and the tokens its `usage_metadata` reports."""
    MODEL_CALLS.labels(brand, workflow).inc()
    usage: Mapping[str, Any] = getattr(message, "usage_metadata", None) or {}
    for kind in ("input", "output"):
        tokens = usage.get(f"{kind}_tokens") or 0
        if tokens:
            MODEL_TOKENS.labels(brand, workflow, kind).inc(tokens)


def observe_turn(brand: str, seconds: float, handoff_reason: str | None) -> None:
    TURN_SECONDS.labels(brand).observe(seconds)
    count_handoff(brand, handoff_reason)


def count_turn_refused(brand: str, limit: str) -> None:
    """Count one turn refused for its brand's `limit` (`rate` or `concurrency`)."""
    TURNS_REFUSED.labels(brand, limit).inc()


def count_webhook(brand: str, kind: str, outcome: str) -> None:
    """Count one webhook event's final outcome; `kind` and `outcome` are fixed names."""
    WEBHOOK_EVENTS.labels(brand, kind, outcome).inc()


def count_webhook_retry(brand: str, reason: str) -> None:
    WEBHOOK_RETRIES.labels(brand, reason).inc()


def reset() -> None:
    """Forget every series (tests that assert exact values start from zero)."""
    for collector in (
        REFUSED_TOOL_CALLS, POLICY_REFUSALS, SANITISER_REMOVALS, INJECTION_FLAGS, HANDOFFS, REPAIRS,
        MODEL_CALLS, MODEL_TOKENS, TURN_SECONDS, WEBHOOK_EVENTS, WEBHOOK_RETRIES, TURNS_REFUSED,
    ):  # fmt: skip
        collector.clear()
    _seen_tools.clear()
