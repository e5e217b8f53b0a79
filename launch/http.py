"""The HTTP server `make run` serves with: uvicorn's h11 protocol, with the header cap as a 431.

uvicorn's default protocol (httptools) reads request headers of any size; only its h11 protocol
has a cap (`h11_max_incomplete_event_size`: the request line and headers, 16 KiB by default), and
it answers a request over it with a plain-text 400. `HeaderCappedH11` stops reading at the same cap
as the app (`Settings.max_header_bytes`) and answers 431 with a `detail`, as every 4xx of the
service does. Under another server the app's own `api.limits.HeaderCap` still answers 431, once that
server has read the headers.
"""

from __future__ import annotations

import json

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

HEADERS_TOO_LARGE = 431


class HeaderCappedH11(H11Protocol):
    """uvicorn's h11 protocol; a request whose head outgrows the cap is answered 431, not 400."""

    def send_400_response(self, msg: str) -> None:
        limit = self.config.h11_max_incomplete_event_size
        pending, _ = self.conn.trailing_data
        if limit is None or len(pending) <= limit:
            super().send_400_response(msg)
            return
        body = json.dumps({"detail": f"request headers larger than {limit} bytes"}).encode()
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"connection", b"close"),
        ]
        reason = b"Request Header Fields Too Large"
        for event in (
            h11.Response(status_code=HEADERS_TOO_LARGE, headers=headers, reason=reason),
            h11.Data(data=body),
            h11.EndOfMessage(),
        ):
            self.transport.write(self.conn.send(event) or b"")
        self.transport.close()
