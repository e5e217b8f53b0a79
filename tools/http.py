"""One httpx client per external system, with timeouts and bounded retries.

Transient failures (timeout, 429, 5xx) are retried with backoff, honouring `Retry-After`;
the rest map to the `tools.errors` family. Clients are created lazily per event loop and closed
by `aclose_clients()` (the API lifespan calls it).
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

import httpx

from tools.errors import NotFound, UpstreamError, UpstreamTimeout
from tools.sanitiser import clean_fields

RETRIES = 2
BACKOFF_S = (0.05, 0.2)
MAX_RETRY_AFTER_S = 2.0

_clients: dict[tuple[str, int], httpx.AsyncClient] = {}


def get_client(system: str) -> httpx.AsyncClient:
    key = (system, id(asyncio.get_running_loop()))
    client = _clients.get(key)
    if client is None or client.is_closed:
        client = httpx.AsyncClient(timeout=httpx.Timeout(5.0, connect=2.0))
        _clients[key] = client
    return client


async def aclose_clients() -> None:
    loop_id = id(asyncio.get_running_loop())
    for key in [k for k in _clients if k[1] == loop_id]:
        await _clients.pop(key).aclose()


def _retry_delay(attempt: int, response: httpx.Response | None) -> float:
    if response is not None and "retry-after" in response.headers:
        try:
            return min(float(response.headers["retry-after"]), MAX_RETRY_AFTER_S)
        except ValueError:
            pass
    return BACKOFF_S[min(attempt, len(BACKOFF_S) - 1)]


async def request_json(
    system: str,
    method: str,
    url: str,
    *,
    headers: Mapping[str, str],
    what: str,
    params: Mapping[str, str] | None = None,
    json: Any = None,
    data: Mapping[str, str] | None = None,
    timeout: float | None = None,
) -> dict[str, Any]:
    """Send one request to `system`; return the JSON body or raise a `ToolError`.

    `data` sends a form body; `timeout` (seconds) overrides the client's for this request.
    """
    client = get_client(system)
    limit = httpx.Timeout(timeout, connect=min(timeout, 2.0)) if timeout else httpx.USE_CLIENT_DEFAULT
    for attempt in range(RETRIES + 1):
        response: httpx.Response | None = None
        try:
            response = await client.request(
                method, url, headers=headers, params=params, json=json, data=data, timeout=limit
            )
        except httpx.TimeoutException as exc:
            if attempt == RETRIES:
                raise UpstreamTimeout(system) from exc
        except httpx.TransportError as exc:
            if attempt == RETRIES:
                raise UpstreamError(system, 503) from exc
        else:
            if response.status_code == 404:
                raise NotFound(system, what)
            if response.status_code < 400:
                return clean_fields(response.json())  # every string field, before any tool reads it
            error = UpstreamError(system, response.status_code)
            if not error.transient or attempt == RETRIES:
                raise error
        await asyncio.sleep(_retry_delay(attempt, response))
    raise AssertionError("unreachable: the loop returns or raises")
