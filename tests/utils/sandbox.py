"""The sandbox servers as the tests reach them: base URLs and their `/_admin/` API."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field

import httpx

from sandbox.accounts import carrier_accounts
from sandbox.brands import SandboxBrand, demo_brands
from sandbox.carriers import CARRIER_APPS
from sandbox.carriers.aggregator import create_app as create_aggregator
from sandbox.commerce_server import create_app as create_commerce
from sandbox.model_server import create_app as create_model
from sandbox.serve import ServerThread
from sandbox.webhooks import create_app as create_webhooks


@dataclass(frozen=True)
class Sandbox:
    model: str
    commerce: str
    carriers: dict[str, str] = field(default_factory=dict)
    """Carrier name (`ups`, `fedex`, `usps`, `dhl`) -> base URL."""
    aggregator: str = ""
    webhooks: str = ""
    """The webhook receiver: a brand's webhook URL is this plus a path of the test's choosing."""

    def admin(self, system: str, method: str, path: str, json: object = None) -> httpx.Response:
        """`system`: `model`, `commerce`, `aggregator`, `webhooks` or a carrier name."""
        bases = {
            "model": self.model,
            "commerce": self.commerce,
            "aggregator": self.aggregator,
            "webhooks": self.webhooks,
            **self.carriers,
        }
        base = bases[system]
        response = httpx.request(method, f"{base}/_admin/{path}", json=json, timeout=5)
        response.raise_for_status()
        return response

    def model_requests(self) -> list[dict]:
        return self.admin("model", "GET", "requests").json()["requests"]

    def commerce_requests(self) -> list[dict]:
        """The API requests the commerce store received, in order (`/_admin/requests`)."""
        return self.admin("commerce", "GET", "requests").json()["requests"]

    def lose_answer(
        self,
        method: str,
        path: str,
        answer: str,
        delay_ms: int = 10_000,
        times: int = 1,
        body: str | None = None,
    ) -> None:
        """The store applies the next matching write, then loses its answer (`/_admin/faults`)."""
        fault = {
            "method": method,
            "path": path,
            "answer": answer,
            "delay_ms": delay_ms,
            "times": times,
            "body": body,
        }
        self.admin("commerce", "POST", "faults", fault)

    def webhook_requests(self, path: str) -> list[dict]:
        """The POSTs the webhook receiver got on `path` (`/acme`), in order."""
        return self.admin("webhooks", "GET", f"requests?path={path}").json()["requests"]

    def env(self) -> dict[str, str]:
        """The settings that point the service at these servers, in dev (sandbox credentials)."""
        return {
            "SUPPORT_MODEL_BASE_URL": f"{self.model}/v1",
            "SUPPORT_COMMERCE_URL": self.commerce,
            **{f"SUPPORT_CARRIER_{name.upper()}_URL": url for name, url in self.carriers.items()},
            "SUPPORT_AGGREGATOR_URL": self.aggregator,
            "SUPPORT_MODEL_MAX_RETRIES": "0",
            "SUPPORT_ENV": "dev",
        }


@contextmanager
def sandbox_servers(brands: Sequence[SandboxBrand] | None = None) -> Iterator[Sandbox]:
    """Every sandbox server on its own loopback port, for `brands` (default: the repository's)."""
    brands = demo_brands() if brands is None else brands
    with ExitStack() as stack:

        def serve(app: object) -> str:
            return stack.enter_context(ServerThread(app)).url

        yield Sandbox(
            model=serve(create_model()),
            commerce=serve(create_commerce(brands=brands)),
            carriers={
                name: serve(create(carrier_accounts(name, brands))) for name, create in CARRIER_APPS.items()
            },
            aggregator=serve(create_aggregator(carrier_accounts("aggregator", brands))),
            webhooks=serve(create_webhooks()),
        )
