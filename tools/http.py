"""One httpx client per external system, with timeouts and bounded retries.

Transient failures (timeout, 429, 5xx) are retried with backoff, honouring `Retry-After`, but only
for a request that is safe to send again: a read (GET, HEAD, OPTIONS), a PUT or DELETE (idempotent
by HTTP), or a POST whose caller says the API promises it (`idempotent=True`: a read sent as POST,
a token request). A write is never retried blindly: its answer may have been lost after the store
applied it, and a second send can write twice (Shopify's REST refunds promise no idempotency), so
the first failure goes back to the workflow, whose write step reconciles. The rest map to the
`tools.errors` family. Every wait is bounded by the turn's deadline (`tools.deadline`): a request's
timeout is cut to what is left, a retry that would not fit is not made, and a write keeps time back
for reading it back. Clients are created lazily per event loop and closed
by `aclose_clients()` (the API lifespan calls it).
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

import httpx

from tools import deadline
from tools.errors import NotFound, OutOfTime, ToolError, UpstreamError, UpstreamTimeout
from tools.sanitiser import clean_fields

RETRIES = 2
TIMEOUT_S = 5.0
CONNECT_TIMEOUT_S = 2.0
BACKOFF_S = (0.05, 0.2)
MAX_RETRY_AFTER_S = 2.0
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
"""Methods whose requests HTTP defines as idempotent: sending one again changes nothing more."""

_clients: dict[tuple[str, int], httpx.AsyncClient] = {}


def get_client(system: str) -> httpx.AsyncClient:
    key = (system, id(asyncio.get_running_loop()))
    client = _clients.get(key)
    if client is None or client.is_closed:
        client = httpx.AsyncClient(timeout=httpx.Timeout(TIMEOUT_S, connect=CONNECT_TIMEOUT_S))
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
    idempotent: bool | None = None,
    keep: float = 0.0,
) -> dict[str, Any]:
    """Send one request to `system`; return the JSON body or raise a `ToolError`.

    `data` sends a form body; `timeout` (seconds) overrides the client's for this request;
    `idempotent` says whether sending it again is safe (None: by its method, `SAFE_METHODS`); an
    unsafe request is sent once. `keep`: seconds of the turn's deadline kept back (for a read-back).
    """
    client = get_client(system)
    safe = method.upper() in SAFE_METHODS if idempotent is None else idempotent
    retries = RETRIES if safe else 0
    sent: ToolError | None = None
    for attempt in range(retries + 1):
        if deadline.exhausted(keep):  # no time left in the turn: nothing (more) is sent
            raise sent or OutOfTime(system)
        wait = deadline.bounded(timeout or TIMEOUT_S, keep)
        limit = httpx.Timeout(wait, connect=min(wait, CONNECT_TIMEOUT_S))
        response: httpx.Response | None = None
        try:
            response = await client.request(
                method, url, headers=headers, params=params, json=json, data=data, timeout=limit
            )
        except httpx.TimeoutException as exc:
            sent = UpstreamTimeout(system)
            if attempt == retries:
                raise sent from exc
        except httpx.TransportError as exc:
            sent = UpstreamError(system, 503)
            if attempt == retries:
                raise sent from exc
        else:
            if response.status_code == 404:
                raise NotFound(system, what)
            if response.status_code < 400:
                return clean_fields(response.json())  # every string field, before any tool reads it
            sent = UpstreamError(system, response.status_code)
            if not sent.transient or attempt == retries:
                raise sent
        await asyncio.sleep(_retry_delay(attempt, response))
    raise AssertionError("unreachable: the loop returns or raises")


async def write_json(
    tool: str,
    system: str,
    method: str,
    url: str,
    *,
    headers: Mapping[str, str],
    what: str,
    json: Any,
) -> dict[str, Any]:
    """Send a write: once unless its method is idempotent (`request_json`). A write whose answer was
    lost (no answer in time, a dropped connection, a 5xx or 429 after the request went out) may have
    been applied: that is `write_unconfirmed`, never a plain failure; a refusal (4xx) is the store's."""
    try:
        return await request_json(
            system, method, url, headers=headers, what=what, json=json, keep=deadline.RECONCILE_S
        )
    except UpstreamTimeout as exc:
        raise ToolError(tool, "write_unconfirmed", f"{system} did not confirm the change to {what}") from exc
    except UpstreamError as exc:
        if exc.transient:
            raise ToolError(
                tool, "write_unconfirmed", f"{system} did not confirm the change to {what}"
            ) from exc
        raise
