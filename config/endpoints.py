"""The external endpoints the served brands use, which are configured and which the sandbox stands in
for, and whether a configured one answers.

`make run` (`launch.serve`) prints this at start: in dev it starts the sandbox for whatever is not
configured; in prod an endpoint a brand uses that is not configured stops the start, named with its
variable (a real store's tracking numbers must never be looked up in a sandbox carrier). A configured
endpoint that does not accept a connection is reported by name.
"""

from __future__ import annotations

import socket
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from brands import BrandConfig
from config.settings import Settings


@dataclass(frozen=True)
class Endpoint:
    name: str
    """What it is, as the operator reads it: `model`, `commerce store`, `carrier ups`, `tracking aggregator`."""
    variable: str
    """The setting that configures it."""
    url: str | None
    """Configured URL; None: the sandbox stands in (dev) or the start fails (prod)."""


def used_endpoints(settings: Settings, brands: Mapping[str, BrandConfig]) -> list[Endpoint]:
    """Every endpoint a served brand uses: the model, the store, its native carriers, the aggregator."""
    found = [
        Endpoint("model", "SUPPORT_MODEL_BASE_URL", settings.model_base_url),
        Endpoint("commerce store", "SUPPORT_COMMERCE_URL", settings.commerce_url),
    ]
    carriers = sorted(
        {
            name
            for b in brands.values()
            for name in ("ups", "fedex", "usps", "dhl")
            if b.carriers.native.account(name)
        }
    )
    for name in carriers:
        variable = f"SUPPORT_CARRIER_{name.upper()}_URL"
        found.append(Endpoint(f"carrier {name}", variable, getattr(settings, f"carrier_{name}_url")))
    if any(b.carriers.aggregator for b in brands.values()):
        found.append(Endpoint("tracking aggregator", "SUPPORT_AGGREGATOR_URL", settings.aggregator_url))
    return found


def unreachable(endpoints: Sequence[Endpoint], timeout_s: float = 2.0) -> list[tuple[Endpoint, str]]:
    """The configured endpoints that accept no TCP connection within `timeout_s`, each with why."""
    failed = []
    for endpoint in endpoints:
        if endpoint.url is None:
            continue
        parts = urlsplit(endpoint.url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        try:
            with socket.create_connection((parts.hostname or "", port), timeout=timeout_s):
                pass
        except OSError as exc:
            failed.append((endpoint, exc.strerror or type(exc).__name__))
    return failed


def describe(endpoints: Sequence[Endpoint], sandbox: Mapping[str, object] | None) -> str:
    """One line per endpoint: configured (real) or the sandbox's, with its URL."""
    lines = []
    for endpoint in endpoints:
        if endpoint.url is not None:
            lines.append(f"  {endpoint.name:<20} real     {endpoint.url}  ({endpoint.variable})")
        else:
            lines.append(f"  {endpoint.name:<20} sandbox  {_sandbox_url(endpoint, sandbox or {})}")
    return "\n".join(lines)


def _sandbox_url(endpoint: Endpoint, sandbox: Mapping[str, object]) -> str:
    if endpoint.name == "model":
        return f"{sandbox.get('model', '?')}/v1 (the stand-in model)"
    if endpoint.name == "commerce store":
        return str(sandbox.get("commerce", "?"))
    if endpoint.name == "tracking aggregator":
        return str(sandbox.get("aggregator", "?"))
    carriers = sandbox.get("carriers")
    name = endpoint.name.removeprefix("carrier ")
    return str(carriers.get(name, "?")) if isinstance(carriers, dict) else "?"
