"""A real HTTP server on 127.0.0.1 for source tests, with faults we can cause for real."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from tests.loopback import QuietHandler, http_server


@dataclass
class Files:
    """What the server serves, and how it misbehaves."""

    content: dict[str, bytes] = field(default_factory=dict)
    unavailable_first: dict[str, int] = field(default_factory=dict)
    """Answer 503 to the first N requests for a path."""
    hide_length: set[str] = field(default_factory=set)
    """Stream these without Content-Length, as a live or chunked source would."""
    stall_seconds: dict[str, float] = field(default_factory=dict)
    requests: Counter[str] = field(default_factory=Counter)
    bytes_sent: Counter[str] = field(default_factory=Counter)


class _Handler(QuietHandler):
    files: Files

    def do_GET(self) -> None:
        files, path = self.files, self.path
        files.requests[path] += 1
        if path in files.stall_seconds:
            time.sleep(files.stall_seconds[path])
        if files.requests[path] <= files.unavailable_first.get(path, 0):
            self.send_error(503)
            return
        body = files.content.get(path)
        if body is None:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        if path not in files.hide_length:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            for start in range(0, len(body), 65536):
                self.wfile.write(body[start : start + 65536])
                files.bytes_sent[path] += len(body[start : start + 65536])
        except (BrokenPipeError, ConnectionResetError):
            pass


@contextmanager
def serve(files: Files) -> Iterator[str]:
    """Serve `files` on a free loopback port; yields the base URL."""
    handler = type("Handler", (_Handler,), {"files": files})
    with http_server(handler) as url:
        yield url
