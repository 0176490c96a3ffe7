"""The same end-to-end run as local storage, against a real S3-compatible server on loopback
(moto's server: it speaks the S3 HTTP API, which boto3 talks to as it would to AWS or MinIO)."""

from __future__ import annotations

from collections.abc import Iterator
from uuid import UUID

import boto3
import pytest
from moto.server import ThreadedMotoServer
from pydantic import SecretStr

from minutes.config import Settings
from tests.api.conftest import serve
from tests.api.flows import check_results, upload_and_process
from tests.conftest import work_until_finished
from tests.loopback import free_port

BUCKET = "minutes-test"


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


def test_upload_process_serve_and_delete_through_s3(settings: Settings, s3_endpoint: str) -> None:
    s3 = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )
    s3.create_bucket(Bucket=BUCKET)
    settings = settings.model_copy(
        update={
            "storage_url": f"s3://{BUCKET}/team",
            "s3_endpoint_url": s3_endpoint,
            "s3_region": "us-east-1",
            "s3_access_key_id": "test",
            "s3_secret_access_key": SecretStr("test"),
        }
    )
    with serve(settings) as api:
        key = api.key()
        meeting_id, events = upload_and_process(api, key)
        stored = {o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET)["Contents"]}
        assert stored == {
            f"team/uploads/{meeting_id}/team_sync.flac",
            f"team/meetings/{meeting_id}/audio.wav",
        }
        check_results(api, key, meeting_id, events)
        # a stage on a machine without the local copy fetches the audio from the bucket
        local = settings.data_dir / "audio" / f"{meeting_id}.wav"
        local.unlink()
        with api.client(key) as client:
            client.post(f"/meetings/{meeting_id}/reprocess", params={"from": "analyze"})
            work_until_finished(settings, UUID(meeting_id))
            assert client.get(f"/meetings/{meeting_id}").json()["status"] == "completed"
            assert local.exists()
            assert client.get("/health").json()["checks"]["storage"] == "ok"
            assert client.delete(f"/meetings/{meeting_id}").status_code == 204
        assert s3.list_objects_v2(Bucket=BUCKET).get("KeyCount") == 0
        s3.delete_bucket(Bucket=BUCKET)
        with api.client(key) as client:
            health = client.get("/health")
            assert health.status_code == 503 and health.json()["checks"]["storage"].startswith(
                "down"
            )
