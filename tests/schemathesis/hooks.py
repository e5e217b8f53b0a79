"""Schemathesis hooks (loaded through `SCHEMATHESIS_HOOKS`, in schemathesis' own virtualenv).

`four_xx_has_reason`: every 4xx response is a JSON object whose `detail` says why: a non-blank
string, or a non-empty list (FastAPI's 422 validation errors). Run with `-c four_xx_has_reason`.
"""

from __future__ import annotations

from typing import Any

import schemathesis


def _has_reason(detail: Any) -> bool:
    if isinstance(detail, str):
        return bool(detail.strip())
    return isinstance(detail, list | dict) and bool(detail)


@schemathesis.check
def four_xx_has_reason(ctx: Any, response: Any, case: Any) -> None:
    """A 4xx response carries a non-empty `detail`."""
    if not 400 <= response.status_code < 500:
        return None
    try:
        body = response.json()
    except ValueError:
        body = None
    if not isinstance(body, dict) or not _has_reason(body.get("detail")):
        raise AssertionError(
            f"{response.status_code} without a reason: a JSON object with a non-empty `detail` expected,"
            f" got {response.text[:200]!r}"
        )
    return None
