"""What each write tool says a call of it wrote (`ToolSpec.written`): read from its result when it
succeeded, from the arguments the call named when it did not; a write tool cannot be declared without."""

from __future__ import annotations

from typing import Any

import pytest

from brands import default_brands
from brands.context import BrandContext
from tools.orders import OrderArgs
from tools.spec import ToolSpec, WriteTerms
from workflows.registry import REGISTRY

ACME = default_brands()["acme"]


@pytest.mark.parametrize(
    ("tool", "args", "artifact", "terms"),
    [
        ("issue_refund", {"order_number": "1001", "amount": "50.00"}, None, WriteTerms("refund", "#1001", "50.00")),
        ("issue_refund", {}, None, WriteTerms("refund", None)),
        ("issue_refund", {"order_number": "1001"}, {"refund": {"order": "#1001", "amount": "61.00", "currency": "USD"}},
         WriteTerms("refund", "#1001", "61.00", "USD")),
        ("cancel_subscription", {"subscription_id": "sub_501"}, None, WriteTerms("cancel", "sub_501")),
        ("cancel_subscription", {"subscription_id": "sub_9"}, {"subscription": {"subscription_id": "sub_501"}},
         WriteTerms("cancel", "sub_501")),
        ("update_shipping_address", {"order_number": "#1002"}, None, WriteTerms("address_change", "#1002")),
    ],
)  # fmt: skip
def test_what_each_write_tool_says_it_wrote(
    tool: str, args: dict[str, Any], artifact: dict[str, Any] | None, terms: WriteTerms
) -> None:
    specs = {t.name: t for w in REGISTRY for t in w.tools if t.writes}
    assert specs[tool].written is not None
    assert specs[tool].written(args, artifact, ACME) == terms


def test_that_an_order_is_named_the_brands_way() -> None:
    naming = ACME.commerce.order_name.model_copy(update={"prefix": "AC-", "suffix": "-EU"})
    brand = ACME.model_copy(update={"commerce": ACME.commerce.model_copy(update={"order_name": naming})})
    refund = next(t for w in REGISTRY for t in w.tools if t.name == "issue_refund")
    assert refund.written is not None
    assert refund.written({"order_number": "1001"}, None, brand).target == "AC-1001-EU"


def test_that_every_write_tool_of_the_registry_says_what_it_writes() -> None:
    writes = {t.name: t.written for w in REGISTRY for t in w.tools if t.writes}
    assert sorted(writes) == [
        "cancel_order",
        "cancel_subscription",
        "exchange_items",
        "issue_refund",
        "update_shipping_address",
    ]
    assert all(reader is not None for reader in writes.values())
    with pytest.raises(ValueError, match="write tool 'wipe' must say what it writes"):
        ToolSpec("wipe", "wipes an order", OrderArgs, wipe, writes=True)


async def wipe(args: OrderArgs, ctx: BrandContext) -> str:
    del args, ctx
    return "wiped"
