"""One turn at a time per conversation, across processes: two API processes on one PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.utils.apiproc import ApiProcess
from tests.utils.conversations import ACME, ALICE, new_conversation
from tests.utils.sandbox import Sandbox

MESSAGES = 20


@pytest.fixture
def two_apis(sandbox: Sandbox, postgres_url: str, tmp_path: Path) -> Iterator[list[str]]:
    apis = [ApiProcess(tmp_path / "a", postgres_url), ApiProcess(tmp_path / "b", postgres_url)]
    try:
        for api in apis:
            api.start()
            # Warm each process up: its first turn builds clients and caches while holding the event loop,
            # and requests that arrive meanwhile would reach the lock in whatever order the loop resumes.
            body = {"message_id": "warm", "text": "where is my order 1001?", "customer": ALICE}
            httpx.post(
                f"{api.url}/v1/conversations/{new_conversation()}/messages",
                json=body,
                headers=ACME,
                timeout=30,
            )
        yield [api.url for api in apis]
    finally:
        for api in apis:
            api.stop()


async def _send_all(urls: list[str], conversation: str) -> list[dict]:
    async with httpx.AsyncClient(timeout=60) as client:

        async def send(n: int) -> dict:
            await asyncio.sleep(
                n * 0.06
            )  # a defined arrival order, 60 ms apart: wider than scheduling jitter
            body = {
                "message_id": f"m{n:02d}",
                "text": f"where is my order 1001? (asking {n})",
                "customer": ALICE,
            }
            url = f"{urls[n % 2]}/v1/conversations/{conversation}/messages"
            response = await client.post(url, json=body, headers=ACME)
            assert response.status_code == 200, response.text
            return response.json()

        return await asyncio.gather(*(send(n) for n in range(MESSAGES)))


def test_that_twenty_concurrent_messages_over_two_processes_are_answered_in_order_without_interleaving(
    two_apis: list[str],
) -> None:
    conversation = new_conversation()
    replies = asyncio.run(_send_all(two_apis, conversation))
    assert [r["message_id"] for r in replies] == [f"m{n:02d}" for n in range(MESSAGES)]
    assert all(r["workflows"] == [{"name": "order_status", "status": "resolved"}] for r in replies)
    log = httpx.get(f"{two_apis[0]}/v1/conversations/{conversation}", headers=ACME).json()["messages"]
    assert len(log) == 2 * MESSAGES
    assert [m["author"] for m in log] == ["customer", "ai"] * MESSAGES
    asked = [m["text"] for m in log if m["author"] == "customer"]
    assert asked == [f"where is my order 1001? (asking {n})" for n in range(MESSAGES)]


async def _one_turn_each(url: str, conversations: list[str]) -> list[int]:
    async with httpx.AsyncClient(timeout=60) as client:

        async def send(conversation: str) -> int:
            body = {"message_id": "m1", "text": "where is my order 1001?", "customer": ALICE}
            response = await client.post(
                f"{url}/v1/conversations/{conversation}/messages", json=body, headers=ACME
            )
            return response.status_code

        return await asyncio.gather(*(send(c) for c in conversations))


def test_that_more_concurrent_conversations_than_pooled_connections_all_get_answered(
    two_apis: list[str],
) -> None:
    # Each turn holds a lock connection and needs another for its work: 12 turns over a pool of 10
    # once deadlocked until every turn failed.
    conversations = [new_conversation() for _ in range(12)]
    assert asyncio.run(_one_turn_each(two_apis[0], conversations)) == [200] * 12
