"""Fixtures shared by the API tests."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from workflows import returns_refunds


@pytest.fixture
def in_return_window(monkeypatch: pytest.MonkeyPatch) -> None:
    """The returns policy's clock inside order #1001's 30-day return window (it shipped 2026-11-11)."""
    at = datetime(2026, 11, 25, 12, tzinfo=UTC)
    monkeypatch.setattr(returns_refunds.WORKFLOW.policy, "clock", lambda: at)
