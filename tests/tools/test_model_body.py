"""The model factory's `PlainBodyChatOpenAI` sends the same request as a stock `ChatOpenAI`.

Both models talk to one sandbox model server through the real openai SDK and httpx; an httpx
event hook keeps the bytes each request carried, and the server's `/_admin/requests` log keeps the
body it parsed. Every case sends the same input through both and compares the two: the raw bytes
and the parsed body, key order included (messages, tools, tool_choice, response_format, stream and
stream_options).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import httpx
import pytest
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage, ToolMessage
from langchain_openai import ChatOpenAI
from pydantic import SecretStr

from nodes.route import routed_asks_model
from sandbox.model_server import create_app
from sandbox.serve import ServerThread
from tools.model import PlainBodyChatOpenAI, plain_body
from workflows import cancel_subscription, order_status
from workflows.registry import REGISTRY

Send = Callable[[ChatOpenAI], Awaitable[object]]


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    with ServerThread(create_app()) as server:
        yield server.url


def turn_three() -> list[BaseMessage]:
    """A workflow transcript as `workflows/kit/subgraph.py` sends it: instructions, earlier turns, pairs."""
    call = {"name": "get_order", "args": {"order_number": "1001"}, "id": "call_1", "type": "tool_call"}
    return [
        SystemMessage(content=f"{order_status.WORKFLOW.instructions}\n\nYou answer for Acmé. Tone: warm 🙂."),
        HumanMessage(content="where is my order 1001?", name="customer"),
        AIMessage(content="", tool_calls=[call]),
        ToolMessage(
            content='<tool_data source="shopify">Order #1001: "in transit"\nline two</tool_data>',
            tool_call_id="call_1",
            name="get_order",
        ),
        AIMessage(content="Your order 1001 is in transit."),
        HumanMessage(content="and sub_501? café ✓", name="customer"),
    ]


TOOLS = [t.as_openai_tool() for t in (*order_status.WORKFLOW.tools, *cancel_subscription.WORKFLOW.tools)]


async def _invoke_with_tools(model: ChatOpenAI) -> object:
    return await model.bind_tools(TOOLS).ainvoke(turn_three())


async def _invoke_with_tool_choice(model: ChatOpenAI) -> object:
    return await model.bind_tools(TOOLS, tool_choice="get_order").ainvoke(turn_three())


async def _invoke_without_tools(model: ChatOpenAI) -> object:
    return await model.ainvoke(turn_three())


async def _stream_with_usage(model: ChatOpenAI) -> object:
    return [chunk async for chunk in model.bind_tools(TOOLS).astream(turn_three(), stream_usage=True)]


async def _structured_output(model: ChatOpenAI) -> object:
    router = model.with_structured_output(routed_asks_model(REGISTRY), method="json_schema")
    return await router.ainvoke(
        [
            SystemMessage(content=REGISTRY.router_prompt()),
            HumanMessage(content="hello, cancel it", name="customer"),
        ]
    )


async def _with_extra_body(model: ChatOpenAI) -> object:
    return await model.bind_tools(TOOLS).ainvoke(turn_three(), extra_body={"user": "cus_alice"})


CASES: dict[str, Send] = {
    "tools": _invoke_with_tools,
    "tool_choice": _invoke_with_tool_choice,
    "no_tools": _invoke_without_tools,
    "stream_options": _stream_with_usage,
    "response_format": _structured_output,
    "extra_body": _with_extra_body,
}


async def _sent(url: str, kind: type[ChatOpenAI], send: Send) -> tuple[bytes, dict[str, Any]]:
    """The bytes of the one request `send` makes through a `kind` model, and the body the server logged."""
    httpx.post(f"{url}/_admin/reset").raise_for_status()
    sent: list[bytes] = []

    async def keep(request: httpx.Request) -> None:
        sent.append(request.content)

    async with httpx.AsyncClient(event_hooks={"request": [keep]}) as http:
        model = kind(
            base_url=f"{url}/v1",
            api_key=SecretStr("sk-test"),
            model="sandbox",
            temperature=0,
            max_retries=0,
            http_async_client=http,
        )
        await send(model)
    logged = httpx.get(f"{url}/_admin/requests").json()["requests"]
    assert len(sent) == 1 and len(logged) == 1
    return sent[0], logged[0]["body"]


@pytest.mark.parametrize("case", list(CASES))
def test_that_the_plain_body_model_sends_the_same_request_byte_for_byte(url: str, case: str) -> None:
    stock_bytes, stock_body = asyncio.run(_sent(url, ChatOpenAI, CASES[case]))
    ours_bytes, ours_body = asyncio.run(_sent(url, PlainBodyChatOpenAI, CASES[case]))

    assert ours_bytes == stock_bytes
    assert json.dumps(ours_body) == json.dumps(stock_body)  # key order included
    assert ours_body["messages"]
    if case in ("tools", "tool_choice", "stream_options", "extra_body"):
        assert ours_body["tools"] == TOOLS
    if case == "stream_options":
        assert ours_body["stream"] is True and ours_body["stream_options"] == {"include_usage": True}
    if case == "response_format":
        assert ours_body["response_format"]["type"] == "json_schema"
    if case == "extra_body":
        assert ours_body["user"] == "cus_alice"


def test_that_only_plain_json_fields_skip_the_sdk_walk() -> None:
    payload = {"model": "m", "stream": False, "messages": [{"role": "user", "content": "hi"}], "n": 1}
    sent = plain_body(payload)
    assert sent == {**payload, "messages": [], "extra_body": {"messages": payload["messages"]}}
    assert list(sent) == [*payload, "extra_body"]

    odd = {"model": "m", "messages": [{"role": "user", "content": ("not", "a", "list")}]}
    assert plain_body(odd) is odd  # the SDK's own conversion handles it

    given = {**payload, "extra_body": {"messages": [{"role": "user", "content": "mine"}]}}
    assert plain_body(given)["extra_body"]["messages"] == [{"role": "user", "content": "mine"}]
