"""A brand's burst as a client process of its own: `python -m tests.utils.burst URL KEY SENDERS STOP_FILE`.

SENDERS clients each post a turn on a new conversation, again at once after an answer and half a
second after a 429, until STOP_FILE exists; then it prints one JSON line: the statuses seen and the
429s' reasons and Retry-After values. A process apart, so its clients do not share the measuring
test's interpreter.
"""

from __future__ import annotations

import asyncio
import json
import sys
import uuid
from collections import Counter
from pathlib import Path

import httpx

RETRY_PAUSE_S = 0.5
ALICE = {"id": "cus_alice", "email": "alice@example.com"}


async def sender(
    client: httpx.AsyncClient, url: str, key: str, stop: Path, seen: list[httpx.Response]
) -> None:
    while not stop.exists():
        body = {"message_id": "m1", "text": "where is my order 1001?", "customer": ALICE}
        conversation = f"burst-{uuid.uuid4().hex[:12]}"
        response = await client.post(
            f"{url}/v1/conversations/{conversation}/messages",
            json=body,
            headers={"Authorization": f"Bearer {key}"},
        )
        seen.append(response)
        if response.status_code == 429:
            await asyncio.sleep(RETRY_PAUSE_S)


async def main(url: str, key: str, senders: int, stop: Path) -> dict:
    seen: list[httpx.Response] = []
    async with httpx.AsyncClient(timeout=120) as client:
        await asyncio.gather(*(sender(client, url, key, stop, seen) for _ in range(senders)))
    refused = [r for r in seen if r.status_code == 429]
    return {
        "statuses": dict(Counter(str(r.status_code) for r in seen)),
        "reasons": dict(Counter(r.json()["detail"] for r in refused)),
        "retry_after": sorted({r.headers.get("Retry-After", "") for r in refused}),
    }


if __name__ == "__main__":
    url, key, senders, stop = sys.argv[1], sys.argv[2], int(sys.argv[3]), Path(sys.argv[4])
    print(json.dumps(asyncio.run(main(url, key, senders, stop))), flush=True)
