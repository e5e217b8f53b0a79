"""The two systems the turn bench drives: our API and a bare LangGraph ReAct agent.

Both run in the caller's event loop and talk to the same sandbox model over real HTTP, through a
client the `HttpClock` watches. Ours is the FastAPI app from `api.app.create_app` (its lifespan
opens persistence and compiles the graph) called through `httpx.ASGITransport`: every turn takes
the production path (auth, body validation, the conversation store, `run_turn`, the graph with
`durability="exit"`, pruning) minus the socket. The bare agent is `create_react_agent` with one
local tool, on a checkpointer opened by the same factory, with LangGraph's default durability.

Each `open_*` yields a `Say(thread, text)` coroutine function that runs one turn and raises
`TurnFailed` when the turn did not do the work it should (a bench of broken turns would lie).
"""

from __future__ import annotations

import uuid
import warnings
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated

import httpx
from langchain_core.messages import AIMessage, HumanMessage
from langchain_core.tools import tool
from langchain_openai import ChatOpenAI
from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph.state import CompiledStateGraph
from langgraph.prebuilt import create_react_agent
from langgraph.warnings import LangGraphDeprecatedSinceV10
from pydantic import Field, SecretStr

from api.app import create_app
from bench.measure import HttpClock
from brands import default_brands
from brands.context import thread_id
from checkpoint.factory import open_persistence
from config.settings import Settings
from tools.http import get_client

Say = Callable[[str, str], Awaitable[None]]

BRAND = "acme"
"""The brand of every benchmarked turn: its dev key authenticates them, its threads hold them."""
API_KEY = {"Authorization": f"Bearer {default_brands()[BRAND].dev_api_keys[0]}"}
CUSTOMER = {"id": "cus_alice", "email": "alice@example.com", "verified": True}
TOOL_SYSTEMS = ("shopify", "recharge", "ups", "fedex", "usps", "dhl", "aggregator")
"""The `tools.http` systems our tools may call (commerce store, carriers): their time is overhead
(tool work is ours), printed apart as tool HTTP. A client made for a system no tool calls is idle."""

LOOKUP_PATTERN = r"\b(?:\d{4,}|sub_[A-Za-z0-9]+)\b"
LOOKUP_RESULT = (
    "Order #1001: payment paid; fulfilment fulfilled; shipped with UPS, tracking number "
    "1Z999AA10123456784, shipment status in transit."
)


class TurnFailed(Exception):
    """A benchmarked turn did not answer as a working turn does."""

    def __init__(self, system: str, thread: str, detail: str) -> None:
        super().__init__(f"{system} turn on thread {thread!r} failed: {detail}")
        self.system = system


@asynccontextmanager
async def open_ours(database_url: str | None, data_dir: Path, clock: HttpClock) -> AsyncIterator[Say]:
    """Our app with its lifespan entered; turns go through `POST /v1/conversations/{id}/messages`."""
    app = create_app(bench_settings(database_url, data_dir))
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://bench") as api,
    ):
        clock.watch(get_client("model"), "model")
        for system in TOOL_SYSTEMS:
            clock.watch(get_client(system), "tools")

        async def say(conversation: str, text: str) -> None:
            body = {"message_id": f"m-{uuid.uuid4().hex[:12]}", "text": text, "customer": CUSTOMER}
            response = await api.post(
                f"/v1/conversations/{conversation}/messages", json=body, headers=API_KEY
            )
            if response.status_code != 200:
                raise TurnFailed("ours", conversation, f"HTTP {response.status_code}: {response.text}")
            out = response.json()
            if out["handoff"] or not out["reply"] or not out["workflows"]:
                raise TurnFailed("ours", conversation, f"no workflow answered: {out}")

        yield say


def our_thread(conversation: str) -> str:
    """The checkpoint thread our API keeps `conversation` under."""
    return thread_id(BRAND, conversation)


def bench_settings(database_url: str | None, data_dir: Path) -> Settings:
    """Our app's settings: dev, and the repository's brand files whatever `SUPPORT_BRANDS_DIR` says, as
    the bench's sandbox serves those (`bench.environment`)."""
    return Settings(env="dev", database_url=database_url, data_dir=data_dir, brands_dir=None)


@tool
async def look_up(
    reference: Annotated[
        str, Field(pattern=LOOKUP_PATTERN, description="order number or subscription id, e.g. 1001")
    ],
) -> str:
    """Look up one of the customer's orders or subscriptions by its number or id."""
    return LOOKUP_RESULT


def bare_agent(model_url: str, http: httpx.AsyncClient, saver: BaseCheckpointSaver) -> CompiledStateGraph:
    """The baseline: a prebuilt ReAct agent, one tool, ChatOpenAI with our model settings."""
    model = ChatOpenAI(
        base_url=model_url,
        api_key=SecretStr("sandbox-key"),
        model="sandbox",
        temperature=0,
        http_async_client=http,
    )
    # langchain.agents.create_agent is its successor but langchain is not a dependency here; the
    # prebuilt agent is the one langgraph itself ships and the one LANGGRAPH_FACTS.md measured.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", LangGraphDeprecatedSinceV10)
        return create_react_agent(model, [look_up], checkpointer=saver)


@asynccontextmanager
async def open_bare(
    database_url: str | None, data_dir: Path, model_url: str, clock: HttpClock
) -> AsyncIterator[Say]:
    """The bare agent on a fresh checkpointer of the same kind as ours (same factory)."""
    async with (
        open_persistence(database_url, data_dir) as persistence,
        httpx.AsyncClient(timeout=httpx.Timeout(5.0, connect=2.0)) as http,
    ):
        clock.watch(http, "model")
        agent = bare_agent(model_url, http, persistence.checkpointer)

        async def say(thread: str, text: str) -> None:
            config = {"configurable": {"thread_id": thread}}
            out = await agent.ainvoke({"messages": [HumanMessage(text)]}, config)  # type: ignore[arg-type]
            last = out["messages"][-1]
            if not isinstance(last, AIMessage) or last.tool_calls or not last.text:
                raise TurnFailed("bare", thread, f"no final answer: {last!r}")

        yield say
