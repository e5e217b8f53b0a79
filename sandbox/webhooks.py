"""The sandbox webhook receiver: a brand's endpoint that records every event POSTed to it.

`create_app() -> FastAPI` (fresh in-memory state per app). Any `POST /<path>` outside `/_admin/` is
recorded as received, per path: the headers (lower-cased; `authorization` and `cookie` never) and
the raw body as text, the time it arrived (this server's clock, unix seconds) and the status it was
answered with. It verifies nothing and knows nothing of who sends: a test checks signatures itself,
over the exact bytes recorded.

Modes, like the carriers' (`POST /_admin/mode`), act on received POSTs only, never on `/_admin/`:
`normal` (200 `{"received": true}`), `slow` (waits `delay_ms`, then answers normally), `flaky`
(every `fail_every`-th since the switch is 503), `down` (503), `server_error` (500),
`rate_limited` (429), `bad_request` (400); `retry_after` adds that `Retry-After` header to a
failure; `times: N` limits a failing mode to the next N requests, then answers normally (retry tests).

Admin: `GET /_admin/requests[?path=/acme]`, `DELETE /_admin/requests`, `GET`/`POST /_admin/mode`,
`POST /_admin/reset` (sandbox/README.md, "Webhook receiver").
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any, Literal

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

Mode = Literal["normal", "slow", "flaky", "down", "server_error", "rate_limited", "bad_request"]
Json = dict[str, Any]

FAILURE_STATUS: dict[Mode, int] = {"down": 503, "server_error": 500, "rate_limited": 429, "bad_request": 400}
NEVER_RECORDED = frozenset({"authorization", "cookie"})


class ModeSettings(BaseModel):
    """How received POSTs are answered; `times` limits a failing mode to the next N of them."""

    model_config = ConfigDict(extra="forbid")
    mode: Mode = "normal"
    delay_ms: int = Field(default=1000, ge=0, le=60_000)
    fail_every: int = Field(default=2, ge=1)
    retry_after: int | None = Field(default=None, ge=0, le=3600)
    times: int | None = Field(default=None, ge=1)


@dataclass
class Receiver:
    """What the server received and how it answers. Handlers change it without awaiting: no lock."""

    mode: ModeSettings = field(default_factory=ModeSettings)
    requests: list[Json] = field(default_factory=list)
    since_switch: int = 0

    def set_mode(self, mode: ModeSettings) -> None:
        self.mode = mode
        self.since_switch = 0

    def failure(self) -> int | None:
        """The status to fail the request just received with, or None to answer it normally."""
        self.since_switch += 1
        mode = self.mode
        if mode.times is not None and self.since_switch > mode.times:
            return None
        if mode.mode == "flaky":
            return 503 if self.since_switch % mode.fail_every == 0 else None
        return FAILURE_STATUS.get(mode.mode)

    def reset(self) -> None:
        self.set_mode(ModeSettings())
        self.requests.clear()


def receiver_of(request: Request) -> Receiver:
    receiver: Receiver = request.app.state.receiver
    return receiver


admin = APIRouter(prefix="/_admin")


@admin.get("/requests")
async def read_requests(request: Request, path: str | None = None) -> dict[str, list[Json]]:
    """Every POST received, in order; `path` keeps only those sent to that path (`/acme`)."""
    found = receiver_of(request).requests
    return {"requests": [r for r in found if path is None or r["path"] == path]}


@admin.delete("/requests")
async def clear_requests(request: Request) -> dict[str, int]:
    receiver = receiver_of(request)
    deleted = len(receiver.requests)
    receiver.requests.clear()
    return {"deleted": deleted}


@admin.get("/mode")
async def read_mode(request: Request) -> Json:
    return receiver_of(request).mode.model_dump()


@admin.post("/mode")
async def set_mode(request: Request, change: ModeSettings) -> Json:
    receiver_of(request).set_mode(change)
    return change.model_dump()


@admin.post("/reset")
async def reset(request: Request) -> dict[str, bool]:
    """Forget the recorded requests and go back to `normal`."""
    receiver_of(request).reset()
    return {"reset": True}


async def receive(request: Request, path: str) -> JSONResponse:
    """Record one POST, then answer it per the mode."""
    if path.split("/")[0] == "_admin":  # an admin path with no route: not an event
        return JSONResponse({"error": "no such admin route"}, status_code=404)
    receiver = receiver_of(request)
    headers = {k.lower(): v for k, v in request.headers.items() if k.lower() not in NEVER_RECORDED}
    body = await request.body()
    entry: Json = {
        "path": f"/{path}",
        "headers": headers,
        "body": body.decode("utf-8", errors="replace"),
        "received_at": time.time(),
        "status": None,
    }
    receiver.requests.append(entry)
    status = receiver.failure()
    if status is None and receiver.mode.mode == "slow":
        await asyncio.sleep(receiver.mode.delay_ms / 1000)
    if status is None:
        entry["status"] = 200
        return JSONResponse({"received": True})
    entry["status"] = status
    retry_after = receiver.mode.retry_after
    extra = {"Retry-After": str(retry_after)} if retry_after is not None else None
    return JSONResponse({"error": receiver.mode.mode}, status_code=status, headers=extra)


def create_app() -> FastAPI:
    app = FastAPI(title="sandbox webhook receiver", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.receiver = Receiver()
    app.include_router(admin)  # before the catch-all, so `/_admin/` is never recorded
    app.add_api_route("/{path:path}", receive, methods=["POST"])
    return app
