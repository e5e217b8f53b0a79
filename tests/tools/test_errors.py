"""The tool error codes: one home (`tools.errors.ToolErrorCode`), each produced somewhere, read one way.

"Produced" is read from the service's source: a code is produced where a call passes it as a string
literal (`code="..."`, or the second argument of `ToolError(...)` / `error_message(...)`), and a
subclass's own code counts only when the subclass is raised outside `tools/errors.py`.
"""

from __future__ import annotations

import ast
from collections import defaultdict

import pytest
from langchain_core.messages import ToolCall, ToolMessage

from tests.test_layers import LAYERS, ROOT
from tools.errors import (
    CODES,
    CredentialMissing,
    NotFound,
    ToolError,
    UpstreamError,
    UpstreamTimeout,
    error_code,
    error_facts,
    error_message,
)

ERRORS = ROOT / "tools" / "errors.py"
TAKES_CODE_SECOND = ("ToolError", "error_message")
PENDING: dict[str, str] = {}
"""Codes listed before their producer lands; each is a strict xfail, so it fails once produced."""


def _callee(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def _is_text(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _literal_codes(tree: ast.AST) -> list[tuple[str, int]]:
    """(code, line) for each string literal passed as a code, or as a `code` parameter's default."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            values = [k.value for k in node.keywords if k.arg == "code"]
            if _callee(node) in TAKES_CODE_SECOND and len(node.args) > 1:
                values.append(node.args[1])
            found += [(v.value, v.lineno) for v in values if _is_text(v)]
        elif isinstance(node, ast.arguments):
            positional = [*node.posonlyargs, *node.args]
            named = [*positional[len(positional) - len(node.defaults) :], *node.kwonlyargs]
            defaults = [*node.defaults, *node.kw_defaults]
            found += [
                (d.value, d.lineno)
                for a, d in zip(named, defaults, strict=True)
                if a.arg == "code" and _is_text(d)
            ]
    return found


def produced_codes() -> dict[str, list[str]]:
    """Every code the service produces -> where (`file:line`)."""
    where: dict[str, list[str]] = defaultdict(list)
    raised: set[str] = set()
    for path in sorted(p for package in LAYERS for p in (ROOT / package).rglob("*.py")):
        if path == ERRORS:
            continue
        tree = ast.parse(path.read_text(), filename=str(path))
        raised |= {_callee(n) for n in ast.walk(tree) if isinstance(n, ast.Call)}
        for code, line in _literal_codes(tree):
            where[code].append(f"{path.relative_to(ROOT)}:{line}")
    for cls in ast.parse(ERRORS.read_text()).body:
        if isinstance(cls, ast.ClassDef) and cls.name in raised:
            for code, line in _literal_codes(cls):
                where[code].append(f"tools/errors.py:{line} ({cls.name})")
    return dict(where)


def test_that_every_code_the_service_produces_is_one_the_literal_lists() -> None:
    assert {code: at for code, at in produced_codes().items() if code not in CODES} == {}


@pytest.mark.parametrize(
    "code",
    [
        pytest.param(c, marks=pytest.mark.xfail(strict=True, reason=PENDING[c])) if c in PENDING else c
        for c in sorted(CODES)
    ],
)
def test_that_each_code_the_literal_lists_is_produced_somewhere(code: str) -> None:
    assert produced_codes().get(code), f"{code!r} is listed in ToolErrorCode but nothing produces it"


def test_that_the_scan_sees_a_literal_code_at_each_kind_of_producer() -> None:
    probe = (
        "raise ToolError('t', 'made_up_a', 'x')\n"
        "error_message(call, 'made_up_b', 'x')\n"
        "UpstreamError('s', 500, code='made_up_c')\n"
        "def f(code='made_up_d'): ...\n"
        "ToolError('t', code_of(x), 'x')\n"
    )
    assert [c for c, _ in _literal_codes(ast.parse(probe))] == [
        "made_up_a",
        "made_up_b",
        "made_up_c",
        "made_up_d",
    ]


CALL = ToolCall(name="get_order", args={"order_number": "1001"}, id="call_7", type="tool_call")


def test_that_an_error_result_says_error_to_the_model_and_carries_its_code_as_plain_data() -> None:
    message = error_message(CALL, "not_found", "order 1001 was not found")
    assert (message.content, message.status, message.name, message.tool_call_id) == (
        "Error: order 1001 was not found",
        "error",
        "get_order",
        "call_7",
    )
    assert message.artifact == {
        "error": {"tool": "get_order", "code": "not_found", "text": "order 1001 was not found"}
    }
    assert type(message.artifact["error"]) is dict
    assert (error_code(message), error_facts(message)) == ("not_found", message.artifact["error"])


def test_that_a_success_reads_no_code_even_with_an_artifact() -> None:
    ok = ToolMessage("<tool_data>...</tool_data>", tool_call_id="c", name="get_order", artifact={"error": 1})
    assert (error_code(ok), error_facts(ok)) == (None, None)


@pytest.mark.parametrize(
    "artifact",
    [None, {"lookups": []}, {"error": "not_found"}, {"error": {"code": "no_longer_a_code"}}],
    ids=["none", "other artifact", "not a dict", "unknown code"],
)
def test_that_an_error_result_without_a_known_code_reads_unexpected(artifact: object) -> None:
    healed = ToolMessage("Error: interrupted", tool_call_id="c", status="error", artifact=artifact)
    assert (error_code(healed), error_facts(healed)) == ("unexpected", None)


def test_that_each_exception_of_the_family_carries_its_code_and_safe_reason() -> None:
    made = [
        ToolError("issue_refund", "not_confirmed", "the refund has not been confirmed by the customer"),
        UpstreamError("shopify", 503),
        NotFound("recharge", "subscription sub_9"),
        UpstreamTimeout("dhl"),
        CredentialMissing("ACME_SHOPIFY_TOKEN"),
    ]
    assert [(type(e).__name__, e.tool, e.code, e.safe, str(e)) for e in made] == [
        ("ToolError", "issue_refund", "not_confirmed", made[0].safe, made[0].safe),
        ("UpstreamError", None, "upstream_error", "shopify answered 503", "shopify answered 503"),
        ("NotFound", None, "not_found", "subscription sub_9 was not found", "subscription sub_9 was not found"),
        ("UpstreamTimeout", None, "upstream_timeout", "dhl did not answer in time", "dhl did not answer in time"),
        ("CredentialMissing", None, "credential_missing", "the store credential is not configured",
         "the store credential is not configured"),
    ]  # fmt: skip
    assert (made[2].system, made[2].status, made[2].transient, made[1].transient) == (
        "recharge",
        404,
        False,
        True,
    )
