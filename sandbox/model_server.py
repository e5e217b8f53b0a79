"""The sandbox model server: a deterministic, OpenAI chat-completions compatible HTTP app.

`create_app()` returns a FastAPI app with fresh in-memory state. Routes: `POST /v1/chat/completions`
(JSON or SSE stream), `GET /v1/models`, and the `/_admin/` API (mode, recorded requests, reset).
Every non-200 answer is an OpenAI error body (`sandbox.model.validation.WireError`). The reply
policy lives in `sandbox.model.decide`; see sandbox/README.md ("## Model server").

Order of checks on a chat request: record the body, then 401 without a bearer key, then the 400s
the real API gives, then the mode (`down` 503, `flaky` 500 on every Nth request, `slow` waits).
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, Field

from sandbox.model.decide import decide
from sandbox.model.reply import Reply
from sandbox.model.state import DEFAULT_DELAY_MS, DEFAULT_FAIL_EVERY, Mode, ModelState
from sandbox.model.validation import WireError, validate_request
from sandbox.model.wire import (
    MODEL_ID,
    Completion,
    completion_body,
    overloaded,
    server_error,
    stream_events,
    unauthorized,
    usage,
)

CHAT_PATH = "/v1/chat/completions"
_BEARER = re.compile(r"^Bearer\s+\S+")


class ModeChange(BaseModel):
    """Body of `POST /_admin/mode`."""

    mode: Mode
    delay_ms: int = Field(default=DEFAULT_DELAY_MS, ge=0)
    fail_every: int = Field(default=DEFAULT_FAIL_EVERY, ge=1)


def _authorise(request: Request) -> None:
    if not _BEARER.match(request.headers.get("authorization", "")):
        raise unauthorized()


def _parse(raw: bytes) -> object:
    try:
        return json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return raw.decode("utf-8", errors="replace")


async def _apply_mode(state: ModelState) -> None:
    state.chats_in_mode += 1
    if state.mode == "down":
        raise overloaded()
    if state.mode == "flaky" and state.chats_in_mode % state.fail_every == 0:
        raise server_error()
    if state.mode == "slow":
        await asyncio.sleep(state.delay_ms / 1000)


def _answer(state: ModelState, body: dict[str, Any], reply: Reply) -> Response:
    meta = Completion(state.next_completion_id(), int(time.time()), str(body["model"]))
    call_ids = [state.next_call_id() for _ in reply.calls]
    counted = usage(body, reply)
    if not body.get("stream"):
        return JSONResponse(completion_body(meta, reply, call_ids, counted))
    options = body.get("stream_options") or {}
    events = stream_events(meta, reply, call_ids, counted if options.get("include_usage") else None)
    return StreamingResponse(events, media_type="text/event-stream")


def _add_admin_routes(app: FastAPI, state: ModelState) -> None:
    @app.post("/_admin/mode")
    async def set_mode(change: ModeChange) -> dict[str, Any]:
        state.set_mode(change.mode, change.delay_ms, change.fail_every)
        return state.snapshot()

    @app.get("/_admin/state")
    async def read_state() -> dict[str, Any]:
        return state.snapshot()

    @app.get("/_admin/requests")
    async def read_requests() -> dict[str, Any]:
        return {"requests": state.requests}

    @app.delete("/_admin/requests")
    async def clear_requests() -> dict[str, Any]:
        state.requests.clear()
        return {"requests": []}

    @app.post("/_admin/reset")
    async def reset() -> dict[str, Any]:
        state.reset()
        return state.snapshot()


def create_app() -> FastAPI:
    """Return a sandbox model app with its own fresh state."""
    state = ModelState()
    app = FastAPI(title="sandbox model", docs_url=None, redoc_url=None)

    @app.exception_handler(WireError)
    async def wire_error(_: Request, error: WireError) -> JSONResponse:
        return JSONResponse(error.body(), status_code=error.status)

    @app.get("/v1/models")
    async def list_models(request: Request) -> dict[str, Any]:
        _authorise(request)
        model = {"id": MODEL_ID, "object": "model", "created": 0, "owned_by": "sandbox"}
        return {"object": "list", "data": [model]}

    @app.post(CHAT_PATH)
    async def chat_completions(request: Request) -> Response:
        body = _parse(await request.body())
        state.record(CHAT_PATH, body)
        _authorise(request)
        valid = dict(validate_request(body))
        await _apply_mode(state)
        return _answer(state, valid, decide(valid, state.mode))

    _add_admin_routes(app, state)
    return app
