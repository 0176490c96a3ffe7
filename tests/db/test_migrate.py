from __future__ import annotations

from typing import Any

import psycopg
import pytest

from minutes.db.migrate import available_migrations, migrate
from minutes.pipeline import STAGES

SEED_COLUMNS = {
    "meetings": {
        "id", "title", "status", "audio_url", "audio_storage_path", "created_at",
        "updated_at", "user_id", "duration_seconds", "error_message", "processed_by",
    },
    "transcript_segments": {
        "meeting_id", "start_time", "end_time", "speaker_id", "speaker_label", "text",
        "confidence",
    },
    "speakers": {"name", "user_id", "embedding", "audio_samples", "meeting_ids"},
    "meeting_summaries": {
        "meeting_id", "summary", "key_points", "action_items", "topics", "sentiment",
        "model_used",
    },
}  # fmt: skip

Conn = psycopg.Connection[dict[str, Any]]


def _columns(db: Conn, table: str) -> set[str]:
    rows = db.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s", (table,)
    ).fetchall()
    return {row["column_name"] for row in rows}


def test_seed_tables_keep_their_exact_columns(db: Conn) -> None:
    for table, columns in SEED_COLUMNS.items():
        assert columns <= _columns(db, table), table
    assert {"stage", "progress", "language"} <= _columns(db, "meetings")
    assert "words" in _columns(db, "transcript_segments")
    assert _columns(db, "meeting_events")


def test_migrate_is_recorded_and_safe_to_rerun(db: Conn) -> None:
    recorded = db.execute("SELECT version FROM minutes_migrations ORDER BY version").fetchall()
    assert [row["version"] for row in recorded] == [m.version for m in available_migrations()]
    assert migrate(db) == []
    assert migrate(db) == []


def test_status_is_checked(db: Conn) -> None:
    with pytest.raises(psycopg.errors.CheckViolation):
        db.execute("INSERT INTO meetings (title, status) VALUES ('x', 'lost')")


def test_inserting_a_pending_meeting_queues_the_first_stage(db: Conn) -> None:
    """Any client can queue work with a plain INSERT, as a Supabase front end does."""
    meeting = db.execute(
        "INSERT INTO meetings (audio_url) VALUES ('/a.wav') RETURNING id"
    ).fetchone()
    assert meeting is not None
    jobs = db.execute("SELECT task_name, queue_name, lock, args FROM procrastinate_jobs").fetchall()
    first = STAGES[0]
    assert jobs == [
        {
            "task_name": first.name,
            "queue_name": first.queue,
            "lock": f"meeting:{meeting['id']}",
            "args": {"meeting_id": str(meeting["id"])},
        }
    ]


def test_a_stage_cannot_wait_twice_for_the_same_meeting(db: Conn) -> None:
    meeting = db.execute(
        "INSERT INTO meetings (audio_url) VALUES ('/a.wav') RETURNING id"
    ).fetchone()
    assert meeting is not None
    with pytest.raises(psycopg.errors.UniqueViolation):
        db.execute("SELECT minutes_defer_stage(%s, 'ingest', 'io')", (meeting["id"],))


def test_updated_at_moves_on_update(db: Conn) -> None:
    row = db.execute(
        "INSERT INTO meetings (audio_url) VALUES ('/a') RETURNING id, updated_at"
    ).fetchone()
    assert row is not None
    db.execute("SELECT pg_sleep(0.01)")
    after = db.execute(
        "UPDATE meetings SET title = 't' WHERE id = %s RETURNING updated_at", (row["id"],)
    ).fetchone()
    assert after is not None and after["updated_at"] > row["updated_at"]


def test_queued_work_is_visible_per_meeting(db: Conn) -> None:
    from uuid import UUID

    from minutes.db.meetings import has_queued_work

    queued = db.execute("INSERT INTO meetings (audio_url) VALUES ('/a') RETURNING id").fetchone()
    orphan = db.execute(
        "INSERT INTO meetings (audio_url, status) VALUES ('/b', 'processing') RETURNING id"
    ).fetchone()
    assert queued is not None and orphan is not None
    assert has_queued_work(db, UUID(str(queued["id"])))
    assert not has_queued_work(db, UUID(str(orphan["id"])))
