"""Hostile requests against a running service, with what each got back (`python -m bench.edge_probes`).

`python -m bench.edge_probes --url http://127.0.0.1:8000 [--metrics-token T]` sends, each over a
raw socket: a lone UTF-16 surrogate (JSON `"\\ud800"`) in a message's text, customer id and customer
email and in an event's text and author; a NUL in the customer email; a JSON body under the cap
nested too deep and one with too many keys; a 10 MB chunked body; a 3.5 MB chunked body of 300,000
keys while `/healthz` is polled on another connection; a 64 kB header; `/metrics` without a token,
with a wrong one and with the right one (`Bearer` and `bearer`); a real turn with a `bearer` and a
`BEARER` API key. It prints, for each, the HTTP status, every byte the service sent back (status
line, headers, body), the seconds to the answer, and a note: the reason given, how much of a chunked
body the client had written when the answer came, `/healthz`'s latency meanwhile. `probe_all()`
returns the same as `Probe`s; tests/launch/test_edge_probes.py runs them against `make run`.
"""

from __future__ import annotations

import argparse
import select
import socket
import statistics
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx

ACME_KEY = "acme-dev-key"
MB = 1_000_000


@dataclass
class Probe:
    name: str
    status: int | None
    """The HTTP status, or None when the connection ended without one."""
    bytes_back: int
    """Every byte the service sent: status line, headers and body."""
    seconds: float
    note: str = ""
    body: bytes = field(default=b"", repr=False)
    sent: int = 0
    """Body bytes the client had written (into its socket) when the answer came."""

    def line(self) -> str:
        status = "-" if self.status is None else str(self.status)
        return f"{self.name:<46} {status:>4} {self.bytes_back:>8} B {self.seconds:>7.3f} s  {self.note}"


def raw_request(url: str, head: bytes, chunks: Iterable[bytes] = (), timeout: float = 30.0) -> Probe:
    """Send `head` then each of `chunks` over one socket until the service answers; read the answer.

    The answer is looked for before each chunk, so a service that answers early (and closes) is
    seen answering; `sent` counts the body bytes the client had written by then."""
    parts = urlsplit(url)
    started = time.monotonic()
    sent = 0
    with socket.create_connection((parts.hostname, parts.port), timeout=timeout) as sock:
        try:
            sock.sendall(head)
            for chunk in chunks:
                if select.select([sock], [], [], 0)[0]:
                    break  # the service answered: stop sending, as a careful client does
                sock.sendall(chunk)
                sent += len(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass
        received = _read_answer(sock)
    seconds = time.monotonic() - started
    status = int(received.split(b" ", 2)[1]) if received.startswith(b"HTTP/1.1 ") else None
    _, _, body = received.partition(b"\r\n\r\n")
    return Probe("", status, len(received), seconds, "", body, sent)


def _read_answer(sock: socket.socket) -> bytes:
    """Everything the service sends until it closes, or until a whole response with a length came."""
    received = b""
    while True:
        try:
            data = sock.recv(65536)
        except (ConnectionResetError, TimeoutError):
            return received
        if not data:
            return received
        received += data
        head, sep, body = received.partition(b"\r\n\r\n")
        lengths = [line for line in head.lower().split(b"\r\n") if line.startswith(b"content-length:")]
        if sep and lengths and len(body) >= int(lengths[0].split(b":")[1]):
            return received


def _head(url: str, path: str, headers: dict[str, str], method: str = "POST") -> bytes:
    host = urlsplit(url).netloc
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}", *(f"{k}: {v}" for k, v in headers.items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def chunked(body: bytes, piece: int = 64 * 1024) -> Iterator[bytes]:
    """`body` in HTTP/1.1 chunked framing, `piece` bytes a chunk, then the last chunk."""
    for start in range(0, len(body), piece):
        part = body[start : start + piece]
        yield b"%x\r\n" % len(part) + part + b"\r\n"
    yield b"0\r\n\r\n"


def chunked_post(url: str, path: str, body: bytes, key: str = ACME_KEY) -> Probe:
    headers = {
        "Authorization": f"Bearer {key}",
        "Content-Type": "application/json",
        "Transfer-Encoding": "chunked",
    }
    probe = raw_request(url, _head(url, path, headers), chunked(body))
    probe.note = f"{probe.sent:,} of {len(body):,} body bytes written by the client when the answer came"
    return probe


def json_post(url: str, path: str, raw_json: str, auth: str = f"Bearer {ACME_KEY}") -> Probe:
    """POST `raw_json` exactly as written (`\\ud800` stays a JSON escape, as a client would send it)."""
    body = raw_json.encode()
    headers = {"Authorization": auth, "Content-Type": "application/json", "Content-Length": str(len(body))}
    return raw_request(url, _head(url, path, {**headers, "Connection": "close"}), [body])


def get(url: str, path: str, headers: dict[str, str]) -> Probe:
    return raw_request(url, _head(url, path, {**headers, "Connection": "close"}, method="GET"))


def message(text: str = '"hello"', customer_id: str = '"cus_probe"', email: str = "null") -> str:
    return (
        f'{{"message_id": "m-probe", "text": {text}, "customer": {{"id": {customer_id}, "email": {email}}}}}'
    )


def event(text: str = '"hi"', author: str = '"agent_7"') -> str:
    return f'{{"event_id": "e-probe", "type": "human_reply", "author": {author}, "text": {text}}}'


def many_keys(count: int) -> bytes:
    """A message body with `count` extra keys in `customer` (about 12 bytes a key)."""
    keys = ",".join(f'"k{i}":0' for i in range(count))
    return (f'{{"message_id":"m-keys","text":"hi","customer":{{"id":"c",{keys}}}}}').encode()


def while_polling(url: str, attack: Callable[[], Probe]) -> tuple[Probe, list[float]]:
    """Run `attack` while `/healthz` is polled every 50 ms on another connection; each poll's seconds."""
    latencies: list[float] = []
    done = threading.Event()

    def poll() -> None:
        with httpx.Client(base_url=url, timeout=30) as client:
            while not done.is_set():
                started = time.monotonic()
                client.get("/healthz")
                latencies.append(time.monotonic() - started)
                done.wait(0.05)

    poller = threading.Thread(target=poll, daemon=True)
    poller.start()
    time.sleep(0.2)  # polling before the attack starts
    try:
        result = attack()
        time.sleep(0.2)  # and after it
    finally:
        done.set()
        poller.join(timeout=30)
    return result, latencies


def probe_all(url: str, metrics_token: str | None) -> list[Probe]:
    """Every probe against the service at `url`, in order."""
    surrogate, nul = '"\\ud800"', '"a\\u0000@example.com"'
    path, events = "/v1/conversations/probe-1/messages", "/v1/conversations/probe-1/events"
    found: list[Probe] = []

    def add(name: str, probe: Probe, note: str | None = None) -> None:
        probe.name = name
        probe.note = probe.note if note is None else note
        found.append(probe)

    add("lone surrogate in message text", json_post(url, path, message(text=surrogate)))
    add("lone surrogate in customer id", json_post(url, path, message(customer_id=surrogate)))
    add("lone surrogate in customer email", json_post(url, path, message(email='"a\\ud800@b.c"')))
    add("lone surrogate in event text", json_post(url, events, event(text=surrogate)))
    add("lone surrogate in event author", json_post(url, events, event(author=surrogate)))
    add("NUL in customer email", json_post(url, path, message(email=nul)))
    add("body nested 40 deep (under the cap)", json_post(url, path, "[" * 40 + "]" * 40))
    add("body of 4,000 keys (48 kB, under the cap)", json_post(url, path, many_keys(4_000).decode()))
    add("chunked 10 MB body", chunked_post(url, path, b'{"text": "' + b"x" * (10 * MB) + b'"}'))
    keys = many_keys(300_000)
    attack, latencies = while_polling(url, lambda: chunked_post(url, path, keys))
    polled = (
        f"/healthz meanwhile: {len(latencies)} polls, max {max(latencies) * 1000:.1f} ms,"
        f" median {statistics.median(latencies) * 1000:.1f} ms; "
    )
    add("chunked 3.5 MB body of 300,000 keys", attack, polled + attack.note)
    add("64 kB header", get(url, "/healthz", {"X-Padding": "a" * 64_000}))
    for name, auth in [
        ("/metrics without a token", None),
        ("/metrics with a wrong token", "Bearer not-the-token"),
        ("/metrics with the right token", f"Bearer {metrics_token}"),
        ("/metrics with the right token, `bearer`", f"bearer {metrics_token}"),
    ]:
        add(name, get(url, "/metrics", {"Authorization": auth} if auth else {}))
    for scheme in ("bearer", "BEARER"):
        conversation = f"/v1/conversations/probe-{scheme}-{uuid.uuid4().hex[:8]}/messages"
        body = message(text='"where is my order 1001?"')
        add(f"`{scheme}` API key, a real turn", json_post(url, conversation, body, f"{scheme} {ACME_KEY}"))
    for probe in found:
        if not probe.note and probe.status and probe.status >= 400:
            probe.note = probe.body.decode("utf-8", "replace")[:110]
    return found


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.edge_probes", description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--metrics-token", default=None, help="the service's SUPPORT_METRICS_TOKEN")
    args = parser.parse_args(argv)
    print(f"{'probe':<46} {'HTTP':>4} {'back':>10} {'time':>9}  note")
    for probe in probe_all(args.url, args.metrics_token):
        print(probe.line(), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
