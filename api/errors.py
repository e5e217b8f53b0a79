"""Errors as 4xx with a reason, never an echo of the input: the app's exception handlers.

FastAPI's own 422 carries each error's `input` and `ctx`: the request's value, however large, sent
back, and a plain-text 500 when that value cannot be encoded (a lone surrogate). Ours keeps `type`,
`loc` and `msg` only, at most `MAX_ERRORS` of them, with every `loc` part short and encodable (a
body's unknown key is a `loc` part the client chose).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

MAX_ERRORS = 20
"""Validation errors listed in a 422; one more entry says how many were left out."""
MAX_LOC_CHARS = 64
"""A `loc` part longer than this is cut (an unknown key is the client's own text)."""
_SURROGATE = re.compile("[\ud800-\udfff]")


def _loc_part(part: object) -> str | int:
    if isinstance(part, int):
        return part
    text = _SURROGATE.sub("\ufffd", str(part))
    return text if len(text) <= MAX_LOC_CHARS else text[:MAX_LOC_CHARS] + "..."


def error_details(errors: Sequence[Any]) -> list[dict[str, object]]:
    """`errors` as a 422 lists them: `type`, `loc` and `msg` only, at most `MAX_ERRORS` and a count."""
    shown = [
        {
            "type": str(error.get("type", "invalid")),
            "loc": [_loc_part(part) for part in error.get("loc", ())],
            "msg": _SURROGATE.sub("\ufffd", str(error.get("msg", "invalid input"))),
        }
        for error in errors[:MAX_ERRORS]
    ]
    if len(errors) > MAX_ERRORS:
        more = len(errors) - MAX_ERRORS
        shown.append({"type": "too_many_errors", "loc": [], "msg": f"{more} more errors not listed"})
    return shown


async def id_reused(_request: Request, exc: Exception) -> JSONResponse:
    """409: a message or event id used before with another body; the detail says which."""
    return JSONResponse({"detail": str(exc)}, status_code=409)


async def invalid_request(_request: Request, exc: Exception) -> JSONResponse:
    """422: which field, which check and why, without the value that failed it."""
    errors = exc.errors() if isinstance(exc, RequestValidationError) else []
    return JSONResponse({"detail": error_details(errors)}, status_code=422)


def drop_echo_from_openapi(app: FastAPI) -> None:
    """The OpenAPI document's `ValidationError` without the `input` and `ctx` a 422 no longer has."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = generate()
            error = schema.get("components", {}).get("schemas", {}).get("ValidationError", {})
            for echo in ("input", "ctx"):
                error.get("properties", {}).pop(echo, None)
        return app.openapi_schema  # `generate` kept what it made there

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's documented way to customise it
