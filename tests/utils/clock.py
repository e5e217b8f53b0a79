"""A settable clock for the service: tests cross the inactivity window without sleeping."""

from __future__ import annotations

from datetime import datetime, timedelta

from fastapi.testclient import TestClient


class Clock:
    """A settable clock for `Service.clock`: tests cross the inactivity window without sleeping."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


def set_clock(client: TestClient, now: datetime) -> Clock:
    clock = Clock(now)
    client.app.state.service.clock = clock  # type: ignore[attr-defined]
    return clock
