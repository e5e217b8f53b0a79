"""`tools/http.py` never sends a write twice blindly: a failed POST is sent once, unless its caller says
the API promises idempotency for it; reads are retried. Against the sandbox's recording receiver."""

from __future__ import annotations

import pytest

from tests.utils.sandbox import Sandbox
from tools.errors import UpstreamError
from tools.http import request_json


def _fail_next(sandbox: Sandbox, times: int) -> None:
    sandbox.admin("webhooks", "POST", "mode", {"mode": "server_error", "times": times})


async def test_that_a_write_that_fails_is_sent_once(sandbox: Sandbox) -> None:
    _fail_next(sandbox, 1)
    with pytest.raises(UpstreamError) as raised:
        await request_json(
            "shopify", "POST", f"{sandbox.webhooks}/refunds", headers={}, what="the refund", json={}
        )
    assert raised.value.code == "upstream_error"
    assert (
        len(sandbox.webhook_requests("/refunds")) == 1
    )  # the store may have applied it: never again blindly


async def test_that_a_request_the_api_promises_idempotent_is_retried(sandbox: Sandbox) -> None:
    _fail_next(sandbox, 2)
    body = await request_json(
        "fedex",
        "POST",
        f"{sandbox.webhooks}/track",
        headers={},
        what="a tracking query",
        json={},
        idempotent=True,
    )
    assert body == {"received": True}
    assert len(sandbox.webhook_requests("/track")) == 3
