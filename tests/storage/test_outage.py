"""The storage server goes away during ingest (for real: nothing listens on its port)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import boto3
import psycopg
from moto.server import ThreadedMotoServer
from pydantic import SecretStr

from minutes.config import Settings
from minutes.db.meetings import create_meeting, get_meeting, list_events
from tests.conftest import REPO, background_worker, work_until_finished
from tests.loopback import free_port

Conn = psycopg.Connection[dict[str, Any]]
SAMPLE = REPO / "samples" / "team-sync.flac"


def s3_settings(settings: Settings, port: int, attempts: int) -> Settings:
    return settings.model_copy(
        update={
            "storage_url": "s3://meetings/minutes",
            "s3_endpoint_url": f"http://127.0.0.1:{port}",
            "s3_region": "us-east-1",
            "s3_access_key_id": "test",
            "s3_secret_access_key": SecretStr("test"),
            "max_attempts": attempts,
            "retry_base_seconds": 1,
        }
    )


def kinds(db: Conn, meeting_id: Any) -> list[str]:
    return [event["kind"] for event in list_events(db, meeting_id)]


def test_ingest_retries_while_storage_is_down_and_completes_when_it_returns(
    settings: Settings, db: Conn
) -> None:
    port = free_port()
    settings = s3_settings(settings, port, attempts=6)  # waits 1+2+4+8+16 s at most
    meeting = create_meeting(db, audio_url="s3://meetings/inbox/sync.flac", title="s3", options={})
    with background_worker(settings):
        deadline = time.monotonic() + 60
        while "stage.retrying" not in kinds(db, meeting.id):
            assert time.monotonic() < deadline, kinds(db, meeting.id)
            time.sleep(0.2)
        server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
        server.start()
        try:
            s3 = boto3.client(
                "s3",
                endpoint_url=f"http://127.0.0.1:{port}",
                region_name="us-east-1",
                aws_access_key_id="test",
                aws_secret_access_key="test",
            )
            s3.create_bucket(Bucket="meetings")
            s3.upload_file(str(SAMPLE), "meetings", "inbox/sync.flac")
            work_until_finished(settings, meeting.id, timeout=240)
        finally:
            server.stop()
    done = get_meeting(db, meeting.id)
    assert done is not None and done.status == "completed", done
    events = kinds(db, meeting.id)
    assert events.count("stage.retrying") >= 1 and events.count("meeting.completed") == 1


def test_after_the_retry_budget_the_meeting_fails_with_the_reason(
    settings: Settings, db: Conn, tmp_path: Path
) -> None:
    settings = s3_settings(settings, free_port(), attempts=2)
    meeting = create_meeting(db, audio_url="s3://meetings/inbox/sync.flac", title="s3", options={})
    work_until_finished(settings, meeting.id, timeout=60)
    failed = get_meeting(db, meeting.id)
    assert failed is not None and failed.status == "failed"
    assert failed.error_message is not None
    assert failed.error_message.startswith("ingest: storage")
    assert "(after 2 attempts)" in failed.error_message
    assert kinds(db, meeting.id) == [
        "stage.started",
        "stage.retrying",
        "stage.started",
        "meeting.failed",
    ]
