"""What the workflow fixtures (`tests/workflows/conftest.py`) hand a test."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from brands import BrandConfig

Turn = Callable[[str], Awaitable[dict[str, Any]]]
"""One customer message in, the turn's output state out."""
Conversation = Callable[[BrandConfig | None], Turn]
"""Start a fresh acme/alice thread, optionally with another acme configuration."""
