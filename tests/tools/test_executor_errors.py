"""Each tool error code is produced where it should be: real tools through the executor, against the
session's sandbox servers (nothing patched), one failure at a time.

Every error result must read the same to the model as before codes (`Error: <reason>`) and carry
`{"error": {"tool", "code", "text"}}` as its artifact.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from langchain_core.messages import ToolCall, ToolMessage
from pydantic import BaseModel

from brands import ApiKeyCarrier
from brands.context import BrandContext
from config.settings import get_settings
from tests.utils.sandbox import Sandbox
from tools.addresses import UPDATE_SHIPPING_ADDRESS
from tools.carriers import dhl
from tools.carriers.normal import describe
from tools.errors import ToolErrorCode, error_code
from tools.executor import execute
from tools.http import RETRIES, aclose_clients
from tools.orders import GET_ORDER
from tools.returns import ISSUE_REFUND
from tools.spec import ToolSpec
from tools.subscriptions import CANCEL_SUBSCRIPTION, GET_SUBSCRIPTION

ALICE = BrandContext(brand_id="acme", customer_id="cus_alice", customer_email="alice@example.com")
ORDER_1001, ORDER_1002 = "4100000001001", "4100000001002"
OAK = {"address1": "500 Oak Road", "city": "Springfield", "province_code": "IL", "zip": "62704"}
DHL_EXPRESS = "3318810025"


class TrackingArgs(BaseModel):
    tracking_number: str


async def _track_dhl(args: TrackingArgs, ctx: BrandContext) -> str:
    account = ctx.brand.carriers.native.account("dhl")
    if not isinstance(account, ApiKeyCarrier):
        raise TypeError("acme's DHL account is an API key")
    return describe(await dhl.track(args.tracking_number, account, ctx))


TRACK_DHL = ToolSpec(
    name="track_dhl",
    description="Track a DHL parcel through the real carrier module (get_order never fails on a carrier).",
    args_schema=TrackingArgs,
    body=_track_dhl,
)
TOOLS = (GET_ORDER, GET_SUBSCRIPTION, CANCEL_SUBSCRIPTION, ISSUE_REFUND, UPDATE_SHIPPING_ADDRESS, TRACK_DHL)


@pytest.fixture(autouse=True)
async def _closed_clients() -> AsyncIterator[None]:
    yield
    await aclose_clients()


async def run(tool: str, allowed: tuple[ToolSpec, ...] = TOOLS, **args: Any) -> ToolMessage:
    call = ToolCall(name=tool, args=args, id="call_1", type="tool_call")
    done = await execute([call], allowed, ALICE, "order_status")
    [message] = done.messages
    return message


def failed(message: ToolMessage) -> tuple[ToolErrorCode | None, str, Any]:
    return error_code(message), message.text, message.artifact


def error(tool: str, code: ToolErrorCode, text: str) -> tuple[ToolErrorCode, str, Any]:
    return code, f"Error: {text}", {"error": {"tool": tool, "code": code, "text": text}}


def commerce_state(sandbox: Sandbox) -> dict[str, Any]:
    return sandbox.admin("commerce", "GET", "state").json()["shops"]["acme"]


def statuses(sandbox: Sandbox, system: str) -> list[int]:
    return [r["status"] for r in sandbox.admin(system, "GET", "requests").json()["requests"]]


def update_call(order_number: str, order_id: str, key: str = "address-key") -> dict[str, Any]:
    return {"order_number": order_number, "order_id": order_id, "address": OAK, "idempotency_key": key}


# --- the systems' own failures (tools/http.py, tools/commerce.py, the carrier modules) --------------


async def test_that_a_subscription_the_store_answers_404_for_is_not_found(sandbox: Sandbox) -> None:
    message = await run("get_subscription", subscription_id="sub_999")
    assert failed(message) == error("get_subscription", "not_found", "subscription sub_999 was not found")
    assert statuses(sandbox, "commerce") == [404]


async def test_that_another_customers_order_is_not_found(sandbox: Sandbox) -> None:
    message = await run("get_order", order_number="1003")  # carol's
    assert failed(message) == error("get_order", "not_found", "order 1003 was not found")
    assert statuses(sandbox, "commerce") == [200]


async def test_that_a_carrier_answering_404_is_not_found(sandbox: Sandbox) -> None:
    sandbox.admin("dhl", "POST", "mode", {"mode": "not_found"})
    message = await run("track_dhl", tracking_number=DHL_EXPRESS)
    assert failed(message) == error("track_dhl", "not_found", f"tracking number {DHL_EXPRESS} was not found")
    assert statuses(sandbox, "dhl") == [404]


async def test_that_a_carrier_that_does_not_answer_in_time_is_upstream_timeout(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SUPPORT_CARRIER_TIMEOUT_S", "0.2")
    get_settings.cache_clear()
    sandbox.admin("dhl", "POST", "mode", {"mode": "slow", "delay_ms": 1000})
    message = await run("track_dhl", tracking_number=DHL_EXPRESS)
    assert failed(message) == error("track_dhl", "upstream_timeout", "dhl did not answer in time")


async def test_that_a_store_outage_is_upstream_error_after_the_bounded_retries(sandbox: Sandbox) -> None:
    sandbox.admin("commerce", "POST", "mode", {"mode": "down"})
    message = await run("get_order", order_number="1001")
    assert failed(message) == error("get_order", "upstream_error", "shopify answered 503")
    assert statuses(sandbox, "commerce") == [503] * (RETRIES + 1)


async def test_that_an_unset_store_credential_outside_dev_is_credential_missing(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SUPPORT_ENV", "prod")
    monkeypatch.delenv("ACME_SHOPIFY_TOKEN", raising=False)
    get_settings.cache_clear()
    message = await run("get_order", order_number="1001")
    assert failed(message) == error(
        "get_order", "credential_missing", "the store credential is not configured"
    )
    assert statuses(sandbox, "commerce") == []


# --- the write tools' own last checks (tools/subscriptions.py, tools/returns.py, tools/addresses.py) --


async def test_that_a_changed_subscription_price_is_terms_changed(sandbox: Sandbox) -> None:
    before = commerce_state(sandbox)
    message = await run(
        "cancel_subscription",
        subscription_id="sub_501",
        idempotency_key="cancel-key",
        confirmed_price="19.00",
        confirmed_interval="1 month",
    )
    assert failed(message) == error(
        "cancel_subscription",
        "terms_changed",
        "the subscription's terms changed since the customer confirmed (19.00 every 1 month, now 29.00 "
        "every 1 month): a new confirmation is needed",
    )
    assert commerce_state(sandbox) == before


async def test_that_a_changed_refund_amount_is_terms_changed(sandbox: Sandbox) -> None:
    before = commerce_state(sandbox)
    message = await run("issue_refund", order_number="1001", amount="50.00", idempotency_key="refund-key")
    assert failed(message) == error(
        "issue_refund",
        "terms_changed",
        "the refundable amount of order #1001 changed since the customer confirmed (50.00, now 61.00): "
        "a new confirmation is needed",
    )
    assert commerce_state(sandbox) == before


async def test_that_a_second_refund_of_a_refunded_order_is_not_refundable(sandbox: Sandbox) -> None:
    first = await run("issue_refund", order_number="1001", amount="61.00", idempotency_key="refund-key")
    again = await run("issue_refund", order_number="1001", amount="61.00", idempotency_key="another-key")
    assert (error_code(first), first.artifact["refund"]["amount"]) == (None, "61.00")
    assert failed(again) == error(
        "issue_refund", "not_refundable", "order #1001 is refunded, not paid: it is not refunded again"
    )


async def test_that_an_address_write_on_a_shipped_order_is_already_fulfilled(sandbox: Sandbox) -> None:
    before = commerce_state(sandbox)
    message = await run("update_shipping_address", **update_call("1001", ORDER_1001))
    assert failed(message) == error(
        "update_shipping_address",
        "already_fulfilled",
        "order 1001 has already shipped: its address can no longer be changed",
    )
    assert commerce_state(sandbox) == before


async def test_that_an_address_write_naming_another_order_than_the_confirmed_one_is_a_mismatch(
    sandbox: Sandbox,
) -> None:
    before = commerce_state(sandbox)
    message = await run("update_shipping_address", **update_call("1002", ORDER_1001))
    assert failed(message) == error(
        "update_shipping_address",
        "confirmation_mismatch",
        "order 1002 is not the order the customer confirmed",
    )
    assert commerce_state(sandbox) == before


@pytest.mark.parametrize(
    ("tool", "args", "reason"),
    [
        ("cancel_subscription", {"subscription_id": "sub_501"}, "the cancellation has not been confirmed"),
        ("issue_refund", {"order_number": "1001", "amount": "61.00"}, "the refund has not been confirmed"),
        ("update_shipping_address", {"order_number": "1002"}, "the new address has not been confirmed"),
    ],
)
async def test_that_a_write_without_the_guards_confirmation_is_not_confirmed(
    sandbox: Sandbox, tool: str, args: dict[str, str], reason: str
) -> None:
    before = commerce_state(sandbox)
    message = await run(tool, **args)
    assert failed(message) == error(tool, "not_confirmed", f"{reason} by the customer")
    assert commerce_state(sandbox) == before
    assert statuses(sandbox, "commerce") == []


# --- the executor's own refusals and its last resort (tools/executor.py) ----------------------------


async def test_that_arguments_outside_the_schema_are_invalid_arguments(sandbox: Sandbox) -> None:
    message = await run("get_order", order_number="one thousand and one")
    assert failed(message) == error("get_order", "invalid_arguments", "invalid arguments (order_number)")
    assert statuses(sandbox, "commerce") == []


async def test_that_a_tool_outside_the_workflows_allowlist_is_tool_not_allowed(sandbox: Sandbox) -> None:
    message = await run("issue_refund", (GET_ORDER,), order_number="1001", amount="61.00")
    assert failed(message) == error(
        "issue_refund", "tool_not_allowed", "tool 'issue_refund' is not available in this workflow"
    )
    assert statuses(sandbox, "commerce") == []


async def test_that_a_failure_outside_the_tool_error_family_is_unexpected(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("SUPPORT_COMMERCE_URL")
    monkeypatch.setenv("DATA_DIR", str(tmp_path))  # no sandbox.json: no store endpoint at all
    get_settings.cache_clear()
    message = await run("get_order", order_number="1001")
    assert failed(message) == error("get_order", "unexpected", "the lookup failed unexpectedly")
    assert statuses(sandbox, "commerce") == []
