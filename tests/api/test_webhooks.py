"""Webhooks to a real receiver on loopback that checks signatures and fails on purpose."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from pydantic import SecretStr

from minutes.config import Settings
from minutes.webhooks.signing import verify
from tests.api.conftest import serve
from tests.api.flows import SAMPLE
from tests.conftest import work_until_finished
from tests.loopback import QuietHandler, http_server

SECRET = "test-webhook-secret"


@dataclass
class Receiver:
    fail_first: int
    calls: list[tuple[str, dict[str, Any], bool, int]] = field(default_factory=list)
    """(path, body, signature valid, status answered) per request."""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def delivered(self, path: str, event: str) -> bool:
        with self.lock:
            return any(p == path and b["event"] == event and s == 200 for p, b, _, s in self.calls)


@contextmanager
def receiver(state: Receiver) -> Iterator[str]:
    class Handler(QuietHandler):
        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers["Content-Length"]))
            valid = verify(SECRET, dict(self.headers.items()), raw)
            with state.lock:
                status = 500 if len(state.calls) < state.fail_first else 200
                state.calls.append((self.path, json.loads(raw), valid, status))
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

    with http_server(Handler) as url:
        yield url


def test_signed_events_reach_a_receiver_that_fails_twice(settings: Settings) -> None:
    settings = settings.model_copy(
        update={"webhook_secret": SecretStr(SECRET), "webhook_retry_base_seconds": 0.2}
    )
    state = Receiver(fail_first=2)
    with receiver(state) as hook_url, serve(settings) as api:
        key = api.key()
        with api.client(key) as client:
            subscription = client.post(
                "/webhooks", json={"url": f"{hook_url}/all", "events": ["meeting.completed"]}
            )
            assert subscription.status_code == 201
            created = client.post(
                "/meetings", json={"audio_url": str(SAMPLE), "webhook_url": f"{hook_url}/mine"}
            ).json()["meeting"]
            meeting_id = UUID(created["id"])
            work_until_finished(
                settings,
                meeting_id,
                until=lambda: (
                    state.delivered("/mine", "meeting.completed")
                    and state.delivered("/all", "meeting.completed")
                ),
            )
            deliveries = client.get(f"/meetings/{meeting_id}/webhooks").json()

    assert all(valid for _, _, valid, _ in state.calls), "every request is signed"
    mine = [
        body["event"] for path, body, _, status in state.calls if path == "/mine" and status == 200
    ]
    assert mine == ["meeting.processing", "meeting.transcribed", "meeting.completed"]
    first = state.calls[0]
    assert (first[0], first[1]["event"], first[3]) == ("/mine", "meeting.processing", 500)
    processing = next(d for d in deliveries if d["event"] == "meeting.processing")
    assert (processing["status"], processing["attempts"], processing["last_status"]) == (
        "delivered",
        3,
        200,
    )
    assert {d["url"] for d in deliveries} == {f"{hook_url}/mine", f"{hook_url}/all"}
    assert state.calls[-1][1]["meeting"]["id"] == str(meeting_id)


def test_the_verification_recipe_rejects_tampering_and_replays() -> None:
    from minutes.webhooks.signing import signed_headers

    body = b'{"event":"meeting.completed"}'
    headers = signed_headers(SECRET, body, now=1_000_000)
    assert verify(SECRET, headers, body, now=1_000_010)
    assert not verify(SECRET, headers, body + b" ", now=1_000_010)
    assert not verify("other secret", headers, body, now=1_000_010)
    assert not verify(SECRET, headers, body, now=1_000_000 + 3600)
