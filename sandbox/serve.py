"""Run an ASGI app with uvicorn in a background thread on a loopback port.

Used by the sandbox runner (`python -m sandbox`) and by test fixtures: the port is chosen by
the OS (port 0) and read back from the bound socket, so parallel runs never collide.
"""

from __future__ import annotations

import socket
import threading
import time
from types import TracebackType

import uvicorn


class ServerThread:
    """An ASGI app served by uvicorn in a daemon thread; a context manager."""

    def __init__(self, app: object, host: str = "127.0.0.1", port: int = 0) -> None:
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind((host, port))
        self.host = host
        self.port: int = self._sock.getsockname()[1]
        # A request still running at stop (a `slow` mode's wait) is cut off after half a second.
        config = uvicorn.Config(app, log_level="warning", lifespan="auto", timeout_graceful_shutdown=0.5)  # type: ignore[arg-type]
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._run, daemon=True, name=f"sandbox:{self.port}")

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def _run(self) -> None:
        self._server.run(sockets=[self._sock])

    def start(self, timeout: float = 10.0) -> ServerThread:
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError(f"server on port {self.port} did not start")
            time.sleep(0.01)
        return self

    def ask_to_stop(self) -> None:
        """Ask the server to exit (it notices within 0.1 s); `stop` waits for it."""
        self._server.should_exit = True

    def stop(self) -> None:
        self.ask_to_stop()
        self._thread.join(timeout=10)
        self._sock.close()

    def __enter__(self) -> ServerThread:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
