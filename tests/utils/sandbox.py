"""The sandbox servers as the tests reach them: base URLs and their `/_admin/` API."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field

import httpx

from sandbox.carriers import CARRIER_APPS
from sandbox.serve import ServerThread


@dataclass(frozen=True)
class Sandbox:
    model: str
    commerce: str
    carriers: dict[str, str] = field(default_factory=dict)
    """Carrier name (`ups`, `fedex`, `usps`, `dhl`) -> base URL."""
    aggregator: str = ""

    def admin(self, system: str, method: str, path: str, json: object = None) -> httpx.Response:
        """`system`: `model`, `commerce`, `aggregator` or a carrier name."""
        bases = {
            "model": self.model,
            "commerce": self.commerce,
            "aggregator": self.aggregator,
            **self.carriers,
        }
        base = bases[system]
        response = httpx.request(method, f"{base}/_admin/{path}", json=json, timeout=5)
        response.raise_for_status()
        return response

    def model_requests(self) -> list[dict]:
        return self.admin("model", "GET", "requests").json()["requests"]


@contextmanager
def carrier_servers() -> Iterator[dict[str, str]]:
    """Every sandbox carrier on its own loopback port: name -> base URL."""
    with ExitStack() as stack:
        yield {name: stack.enter_context(ServerThread(create())).url for name, create in CARRIER_APPS.items()}
