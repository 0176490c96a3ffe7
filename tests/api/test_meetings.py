"""The API with a real uvicorn server, real workers and the embedded Postgres."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID, uuid4

import httpx
import psycopg
import pytest

from minutes.config import Settings
from minutes.db.api_keys import revoke_key
from minutes.db.meetings import has_queued_work, list_events
from minutes.logs import configure_logging
from tests.api.conftest import Api
from tests.api.flows import SAMPLE, check_results, upload_and_process
from tests.conftest import work_until_finished

Conn = psycopg.Connection[dict[str, Any]]


def test_upload_streams_progress_then_serves_every_result(api: Api) -> None:
    key = api.key()
    meeting_id, events = upload_and_process(api, key)
    check_results(api, key, meeting_id, events)
    with api.client(key) as client:
        assert client.delete(f"/meetings/{meeting_id}").status_code == 204
        assert client.get(f"/meetings/{meeting_id}").status_code == 404
    storage_root = api.settings.data_dir / "storage"
    assert not (storage_root / "uploads" / meeting_id).exists()
    assert not (storage_root / "meetings" / meeting_id).exists()


def test_cancel_retry_reprocess_batch_and_dedupe(api: Api, settings: Settings, db: Conn) -> None:
    with api.client(api.key()) as client:
        body = {"audio_url": str(SAMPLE), "title": "sync", "dedupe_key": "sync-2026-11-23"}
        first = client.post("/meetings", json=body)
        assert first.status_code == 201 and first.json()["duplicate"] is False
        meeting_id = first.json()["meeting"]["id"]
        again = client.post("/meetings", json=body)
        assert again.status_code == 200 and again.json()["duplicate"] is True
        assert again.json()["meeting"]["id"] == meeting_id

        cancelled = client.post(f"/meetings/{meeting_id}/cancel").json()
        assert (cancelled["status"], cancelled["error_message"]) == (
            "failed",
            "cancelled by request",
        )
        assert not has_queued_work(db, UUID(meeting_id))
        assert client.post(f"/meetings/{meeting_id}/cancel").status_code == 409

        retried = client.post(f"/meetings/{meeting_id}/retry").json()
        assert retried["status"] == "processing" and has_queued_work(db, UUID(meeting_id))
        work_until_finished(settings, UUID(meeting_id))
        assert client.get(f"/meetings/{meeting_id}").json()["status"] == "completed"
        assert client.post(f"/meetings/{meeting_id}/retry").status_code == 409

        assert (
            client.post(f"/meetings/{meeting_id}/reprocess", params={"from": "nope"}).status_code
            == 422
        )
        again = client.post(f"/meetings/{meeting_id}/reprocess", params={"from": "summarize"})
        assert again.status_code == 200 and again.json()["stage"] == "summarize"
        work_until_finished(settings, UUID(meeting_id))
        runs = [
            e["stage"] for e in list_events(db, UUID(meeting_id)) if e["kind"] == "stage.started"
        ]
        assert runs.count("summarize") == 2 and runs.count("transcribe") == 1

        batch = client.post(
            "/batch",
            json={
                "items": [
                    {"audio_url": str(SAMPLE), "title": "one"},
                    {"audio_storage_path": "uploads/x/two.wav"},
                ]
            },
        )
        assert batch.status_code == 201
        assert [c["meeting"]["title"] for c in batch.json()["created"]] == ["one", None]
        assert client.post("/meetings", json={"title": "no source"}).status_code == 422
        both = {"audio_url": str(SAMPLE), "audio_storage_path": "uploads/a/b.wav"}
        assert client.post("/meetings", json=both).status_code == 422
        assert (
            client.post(
                "/meetings", content=b"{not json", headers={"Content-Type": "application/json"}
            ).status_code
            == 422
        )
        listed = client.get("/meetings").json()
        assert {m["id"] for m in listed} >= {meeting_id}


def test_keys_and_user_scopes(api: Api, db: Conn) -> None:
    alice, bob = uuid4(), uuid4()
    alice_key, bob_key, admin_key = api.key(alice), api.key(bob), api.key()
    with api.client(None) as anonymous:
        missing = anonymous.get("/meetings")
        assert missing.status_code == 401 and missing.headers["www-authenticate"] == "Bearer"
        assert anonymous.get("/health").status_code == 200
    with api.client("mk_not-a-key") as wrong:
        assert wrong.get("/meetings").status_code == 401
    with api.client(alice_key) as client:
        meeting = client.post("/meetings", json={"audio_url": str(SAMPLE)}).json()["meeting"]
        assert meeting["user_id"] == str(alice)
    with api.client(bob_key) as client:
        assert client.get(f"/meetings/{meeting['id']}").status_code == 404
        assert client.get(f"/meetings/{meeting['id']}/transcript").status_code == 404
        assert client.post(f"/meetings/{meeting['id']}/cancel").status_code == 404
        assert client.get("/meetings").json() == []
    with api.client(admin_key) as client:
        assert client.get(f"/meetings/{meeting['id']}").status_code == 200
    assert revoke_key(db, alice_key[:10])
    with api.client(alice_key) as client:
        assert client.get("/meetings").status_code == 401


def test_queue_stats_clean_and_health(api: Api) -> None:
    with api.client(api.key()) as client:
        client.post("/meetings", json={"audio_url": str(SAMPLE)})
        stats = client.get("/queue/stats").json()
        assert stats["queues"]["io"]["todo"] == 1 and stats["oldest_waiting_seconds"] >= 0
        assert stats["workers_alive"] == 0
        assert client.post("/queue/clean", params={"older_than_days": 0}).json() == {"removed": 0}
    health = httpx.get(api.url + "/health", timeout=10).json()
    assert health["status"] == "ok" and health["checks"]["database"] == "ok"


def test_requests_are_logged_as_json_without_secrets(
    api: Api, capfd: pytest.CaptureFixture[str]
) -> None:
    configure_logging(api.settings.model_copy(update={"log_format": "json"}))
    key = api.key()
    with api.client(key) as client:
        meeting = client.post("/meetings", json={"audio_url": str(SAMPLE)}).json()["meeting"]
        link = client.get(f"/meetings/{meeting['id']}/audio-link").json()["url"]
        client.get(link)
    logged = capfd.readouterr().err
    lines = [json.loads(line) for line in logged.splitlines() if '"http.request"' in line]
    paths = {(line["method"], line["path"], line["status"]) for line in lines}
    assert ("POST", "/meetings", 201) in paths
    assert ("GET", f"/meetings/{meeting['id']}/audio", 404) in paths  # no audio yet
    assert all(isinstance(line["ms"], float) for line in lines)
    token = link.split("token=")[1]
    assert key not in logged and key[10:] not in logged and token not in logged
