"""A real `minutes serve` (uvicorn on 127.0.0.1, in a thread) and API keys for the tests."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from uuid import UUID

import httpx
import pytest
import uvicorn

from minutes.api.app import create_api
from minutes.config import Settings
from minutes.db import connect
from minutes.db.api_keys import create_key
from tests.loopback import free_port


@dataclass
class Api:
    url: str
    settings: Settings

    def client(self, key: str | None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=30)

    def key(self, user_id: UUID | None = None) -> str:
        with connect(self.settings.database_url) as conn:
            return create_key(conn, "test", user_id)[1]


@contextmanager
def serve(settings: Settings) -> Iterator[Api]:
    port = free_port()
    config = uvicorn.Config(
        create_api(settings), host="127.0.0.1", port=port, log_config=None, access_log=False
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield Api(url=f"http://127.0.0.1:{port}", settings=settings)
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture
def api(settings: Settings) -> Iterator[Api]:
    with serve(settings) as running:
        yield running
