"""One closed set of handoff reasons (state/schema.py: HandoffReason): everything the code hands off for is
in it, and the API's OpenAPI document lists exactly it."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import get_args

from api.app import create_app
from nodes.route import RoutingReason
from service.ownership import VOIDED_REASON
from state.schema import HandoffReason
from workflows.address_change.rules import FulfilmentRule
from workflows.returns_refunds.rules import ReturnRefusal

ROOT = Path(__file__).resolve().parents[2]
REASONS = set(get_args(HandoffReason))


def _outcome_reasons() -> set[str]:
    """Every string literal given as an `Outcome`'s handoff reason (third argument or keyword)."""
    found: set[str] = set()
    for path in (ROOT / "workflows").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", getattr(node.func, "attr", "")) == "Outcome"
            ):
                args = [*node.args[2:3], *(k.value for k in node.keywords if k.arg == "handoff_reason")]
                found |= {a.value for a in args if isinstance(a, ast.Constant) and isinstance(a.value, str)}
    return found


def test_that_every_reason_the_code_hands_off_for_is_listed() -> None:
    produced = {
        *_outcome_reasons(),
        *get_args(RoutingReason),
        *get_args(ReturnRefusal),
        *get_args(FulfilmentRule),
        VOIDED_REASON,
        "internal_error",
        "no_workflow",
    }
    assert {"tool_failed", "model_unavailable", "no_reply", "retention_offer_accepted"} <= produced
    assert produced - REASONS == set()


def test_that_the_openapi_document_lists_the_reasons() -> None:
    schemas = create_app().openapi()["components"]["schemas"]
    assert set(schemas["HandoffOut"]["properties"]["reason"]["enum"]) == REASONS
    assert {"language", "deadline", "unverified", "write_unconfirmed"} <= REASONS
