"""Queries on meetings, their transcript segments and their event log."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from psycopg.types.json import Jsonb
from pydantic import BaseModel

from minutes.db import Connection, replace_meeting_rows
from minutes.transcript import Segment

Status = Literal["pending", "processing", "completed", "failed"]
FINISHED: frozenset[str] = frozenset({"completed", "failed"})


class Meeting(BaseModel):
    id: UUID
    title: str | None
    status: Status
    stage: str | None
    progress: float
    audio_url: str | None
    audio_storage_path: str | None
    duration_seconds: float | None
    error_message: str | None
    processed_by: str | None
    language: str | None
    options: dict[str, Any]
    source_sha256: str | None
    user_id: UUID | None
    priority: int = 0
    webhook_url: str | None = None
    dedupe_key: str | None = None
    created_at: datetime
    updated_at: datetime

    @property
    def source(self) -> str | None:
        """Where the recording comes from: the stored upload first, else the URL or path."""
        return self.audio_storage_path or self.audio_url

    @property
    def finished(self) -> bool:
        return self.status in FINISHED


MEETING_COLUMNS = ", ".join(Meeting.model_fields)


def create_meeting(
    conn: Connection,
    *,
    audio_url: str | None = None,
    audio_storage_path: str | None = None,
    title: str | None,
    options: dict[str, Any],
    user_id: UUID | None = None,
    webhook_url: str | None = None,
    dedupe_key: str | None = None,
    meeting_id: UUID | None = None,
    priority: int = 0,
) -> Meeting:
    """Insert a pending meeting; the database trigger queues its first stage."""
    row = conn.execute(
        "INSERT INTO meetings (id, title, audio_url, audio_storage_path, options, user_id,"
        " webhook_url, dedupe_key, priority) VALUES (coalesce(%s, gen_random_uuid()), %s, %s,"
        f" %s, %s, %s, %s, %s, %s) RETURNING {MEETING_COLUMNS}",
        (
            meeting_id,
            title,
            audio_url,
            audio_storage_path,
            Jsonb(options),
            user_id,
            webhook_url,
            dedupe_key,
            priority,
        ),
    ).fetchone()
    return Meeting.model_validate(row)


def find_by_dedupe_key(conn: Connection, user_id: UUID | None, key: str) -> Meeting | None:
    row = conn.execute(
        f"SELECT {MEETING_COLUMNS} FROM meetings WHERE dedupe_key = %s"
        " AND user_id IS NOT DISTINCT FROM %s",
        (key, user_id),
    ).fetchone()
    return Meeting.model_validate(row) if row else None


def get_meeting(conn: Connection, meeting_id: UUID) -> Meeting | None:
    row = conn.execute(
        f"SELECT {MEETING_COLUMNS} FROM meetings WHERE id = %s", (meeting_id,)
    ).fetchone()
    return Meeting.model_validate(row) if row else None


def list_meetings(
    conn: Connection,
    limit: int = 20,
    *,
    user_id: UUID | None = None,
    status: Status | None = None,
    offset: int = 0,
) -> list[Meeting]:
    """Newest first; `user_id` limits the list to that user's meetings."""
    rows = conn.execute(
        f"SELECT {MEETING_COLUMNS} FROM meetings"
        " WHERE (%s::uuid IS NULL OR user_id = %s) AND (%s::text IS NULL OR status = %s)"
        " ORDER BY created_at DESC, id LIMIT %s OFFSET %s",
        (user_id, user_id, status, status, limit, offset),
    ).fetchall()
    return [Meeting.model_validate(row) for row in rows]


def queue_stage(conn: Connection, meeting_id: UUID, stage: str, queue: str) -> None:
    """Defer a stage's job; run it in the transaction that makes the stage due."""
    conn.execute("SELECT minutes_defer_stage(%s, %s, %s)", (meeting_id, stage, queue))


def has_queued_work(conn: Connection, meeting_id: UUID) -> bool:
    """Whether a job for the meeting waits or runs; a stage queues the next one before it
    ends, so an unfinished meeting with no job left is stuck."""
    row = conn.execute(
        "SELECT EXISTS (SELECT 1 FROM procrastinate_jobs WHERE args->>'meeting_id' = %s"
        " AND status IN ('todo', 'doing')) AS queued",
        (str(meeting_id),),
    ).fetchone()
    return bool(row and row["queued"])


def start_stage(
    conn: Connection, meeting_id: UUID, stage: str, worker: str, progress: float
) -> None:
    conn.execute(
        "UPDATE meetings SET status = 'processing', stage = %s, processed_by = %s,"
        " progress = GREATEST(progress, %s), error_message = NULL WHERE id = %s",
        (stage, worker, progress, meeting_id),
    )


def set_progress(conn: Connection, meeting_id: UUID, progress: float) -> None:
    conn.execute(
        "UPDATE meetings SET progress = %s WHERE id = %s AND status = 'processing'",
        (progress, meeting_id),
    )


def complete_meeting(conn: Connection, meeting_id: UUID) -> None:
    conn.execute(
        "UPDATE meetings SET status = 'completed', progress = 100 WHERE id = %s", (meeting_id,)
    )


def fail_meeting(conn: Connection, meeting_id: UUID, message: str) -> None:
    conn.execute(
        "UPDATE meetings SET status = 'failed', error_message = %s WHERE id = %s",
        (message, meeting_id),
    )


def update_meeting(conn: Connection, meeting_id: UUID, **columns: Any) -> None:
    """Set stage results on the meeting row (column names come from code, never users)."""
    assignments = ", ".join(f"{name} = %s" for name in columns)
    conn.execute(
        f"UPDATE meetings SET {assignments} WHERE id = %s", (*columns.values(), meeting_id)
    )


def add_event(
    conn: Connection,
    meeting_id: UUID,
    kind: str,
    stage: str | None,
    detail: dict[str, Any] | None = None,
) -> None:
    conn.execute(
        "INSERT INTO meeting_events (meeting_id, kind, stage, detail) VALUES (%s, %s, %s, %s)",
        (meeting_id, kind, stage, Jsonb(detail or {})),
    )


TRANSCRIPT_CHANNEL = "minutes_transcript"
"""Segments as the transcribe stage finds them, before the transcript is saved."""


def announce_segment(conn: Connection, meeting_id: UUID, segment: Segment) -> None:
    payload = {
        "id": str(meeting_id),
        "start": segment.start,
        "end": segment.end,
        "text": segment.text[:2000],  # NOTIFY payloads stop at 8000 bytes
    }
    conn.execute("SELECT pg_notify(%s, %s)", (TRANSCRIPT_CHANNEL, json.dumps(payload)))


def list_events(conn: Connection, meeting_id: UUID) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = conn.execute(
        "SELECT kind, stage, detail, created_at FROM meeting_events"
        " WHERE meeting_id = %s ORDER BY id",
        (meeting_id,),
    ).fetchall()
    return rows


_SEGMENT_COLUMNS = (
    "segment_index",
    "start_time",
    "end_time",
    "speaker_label",
    "speaker_id",
    "text",
    "confidence",
    "words",
    "no_speech_prob",
    "compression_ratio",
)


def replace_segments(conn: Connection, meeting_id: UUID, segments: list[Segment]) -> None:
    """Swap in a new transcript; callers run this inside their stage transaction."""
    replace_meeting_rows(
        conn,
        "transcript_segments",
        meeting_id,
        _SEGMENT_COLUMNS,
        [
            (
                index,
                segment.start,
                segment.end,
                segment.speaker_label,
                segment.speaker_id,
                segment.text,
                segment.confidence,
                Jsonb([word.model_dump(exclude_none=True) for word in segment.words]),
                segment.no_speech_prob,
                segment.compression_ratio,
            )
            for index, segment in enumerate(segments)
        ],
    )


def get_segments(conn: Connection, meeting_id: UUID) -> list[Segment]:
    rows = conn.execute(
        "SELECT s.start_time AS start, s.end_time AS end, s.text, s.confidence, s.speaker_label,"
        " s.speaker_id, p.name AS speaker_name, s.words, s.no_speech_prob, s.compression_ratio"
        " FROM transcript_segments s LEFT JOIN speakers p ON p.id = s.speaker_id"
        " WHERE s.meeting_id = %s ORDER BY s.segment_index",
        (meeting_id,),
    ).fetchall()
    return [Segment.model_validate(row) for row in rows]
