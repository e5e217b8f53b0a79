"""The brand's limits on turns at the door: 429 with `Retry-After` and the reason (`service.admission`).

`Admitted` holds one of the brand's turn slots for the request; a turn over the brand's rate or
concurrency limit is refused before it runs, so it never waits ahead of another brand's turns.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, HTTPException

from api.deps import Brand, Svc
from service.admission import Overloaded


async def admitted(brand: Brand, svc: Svc) -> AsyncIterator[None]:
    """Hold a turn slot of the key's brand while the request runs; 429 when it has none."""
    try:
        svc.gate.take(brand)
    except Overloaded as exc:
        raise HTTPException(429, exc.reason, {"Retry-After": str(exc.retry_after_s)}) from None
    try:
        yield
    finally:
        svc.gate.release(brand)


Admitted = Annotated[None, Depends(admitted)]
