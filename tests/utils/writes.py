"""The confirmed writes as a customer drives them, and what the store holds after each.

Each flow: the customer's messages up to the confirmation question, then "yes"; the write's request
(method and path, for the store's lost-answer faults); and how many times the store applied it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from brands import BRANDS_DIR
from tests.utils.conversations import ACME
from tests.utils.sandbox import Sandbox


def _shop(sandbox: Sandbox) -> dict[str, Any]:
    return sandbox.admin("commerce", "GET", "state").json()["shops"]["acme"]


def refunds_of_1001(sandbox: Sandbox) -> int:
    order = next(o for o in _shop(sandbox)["orders"] if o["name"] == "#1001")
    return len(order["refunds"])


def cancellations_of_501(sandbox: Sandbox) -> int:
    return sum(c["subscription_id"] == "sub_501" for c in _shop(sandbox)["cancellations"])


def address_of_1002_changed(sandbox: Sandbox) -> int:
    order = next(o for o in _shop(sandbox)["orders"] if o["name"] == "#1002")
    return int(order["shipping_address"]["address1"] == "500 Oak Road")


def cancels_of_1002(sandbox: Sandbox) -> int:
    order = next(o for o in _shop(sandbox)["orders"] if o["name"] == "#1002")
    return int(order["cancelled_at"] is not None) * len(order["refunds"])


@dataclass(frozen=True)
class WriteFlow:
    name: str
    workflow: str
    asks: tuple[str, ...]
    """What the customer says before the "yes" that confirms."""
    method: str
    path: str
    """A regular expression for the write's path (`Sandbox.lose_answer`)."""
    applied: Callable[[Sandbox], int]
    """How many times the store holds the write."""
    done: str
    """Words the reply says once the write is done."""

    def requests(self, sandbox: Sandbox) -> list[dict[str, Any]]:
        import re

        return [
            r
            for r in sandbox.commerce_requests()
            if r["method"] == self.method and re.search(self.path, r["path"])
        ]


FLOWS = (
    WriteFlow(
        "refund", "returns_refunds", ("I want to return order 1001 and get a refund",),
        "POST", r"/orders/\d+/refunds\.json$", refunds_of_1001, "I have refunded 61.00 USD",
    ),
    WriteFlow(
        "cancel", "cancel_subscription",
        ("please cancel my subscription sub_501", "no thanks, I don't want the offer"),
        "POST", r"/subscriptions/sub_501/cancel$", cancellations_of_501, "cancelled",
    ),
    WriteFlow(
        "address", "address_change",
        ("I put the wrong address on order 1002", "500 Oak Road, Springfield, IL 62704"),
        "PUT", r"/orders/\d+\.json$", address_of_1002_changed, "500 Oak Road",
    ),
    WriteFlow(
        "order_cancel", "cancel_order", ("I want to cancel order 1002",),
        "POST", r"/orders/\d+/cancel\.json$", cancels_of_1002, "order #1002 is cancelled",
    ),
)  # fmt: skip


def brands_with(folder: Path, **acme_lines: str) -> Path:
    """The repository's brand files in `folder`, with `key: value` lines added to acme's; a wide
    return window so that order 1001 stays returnable whatever the day the test runs."""
    folder.mkdir(parents=True, exist_ok=True)
    for path in BRANDS_DIR.glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        if path.stem == "acme":
            text = text.replace("window_days: 30", "window_days: 365")
            text += "".join(f"\n{key}: {value}\n" for key, value in acme_lines.items())
        (folder / path.name).write_text(text, encoding="utf-8")
    return folder


def refused_writes(client: TestClient, conversation: str) -> list[tuple[str, str | None, str | None]]:
    """The conversation's refused writes as (kind, target, error code), from its history (acme)."""
    history = client.get(f"/v1/conversations/{conversation}", headers=ACME)
    return [
        (w["kind"], w["target"], w["error_code"])
        for w in history.json()["writes"]
        if w["result"] == "refused"
    ]
