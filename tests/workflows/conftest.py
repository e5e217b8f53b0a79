"""Fixtures for the workflow tests: the main graph on an in-memory checkpointer, one thread per test."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from langgraph.checkpoint.memory import InMemorySaver

from brands import BrandConfig
from brands.context import BrandContext
from graph.builder import compile_graph
from tests.utils.sandbox import Sandbox
from tests.utils.workflows import Conversation, Turn


@pytest.fixture
def conversation(sandbox: Sandbox) -> Conversation:
    """Start a fresh acme/alice thread, optionally with another acme configuration; returns `send`:
    one customer message in, the turn's output state out."""
    del sandbox  # the servers must be up and the environment set

    def start(config: BrandConfig | None = None) -> Turn:
        graph = compile_graph(InMemorySaver())
        thread = f"acme:c-{uuid.uuid4().hex[:12]}"
        ctx = BrandContext(
            brand_id="acme",
            customer_id="cus_alice",
            customer_email="alice@example.com",
            customer_verified=True,
            config=config,
        )

        async def send(text: str) -> dict[str, Any]:
            inp = {"message_id": f"m-{uuid.uuid4().hex[:8]}", "inbound_text": text}
            return await graph.ainvoke(inp, config={"configurable": {"thread_id": thread}}, context=ctx)

        return send

    return start


@pytest.fixture
def turn(conversation: Conversation) -> Turn:
    """One acme/alice thread with the brand's own configuration."""
    return conversation(None)
