"""A meeting's stored markdown document, and the record it is rendered from.

The summarize stage writes the document; naming, merging or deleting a speaker rewrites
the documents that show them, so the stored copy always carries current names.
"""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from minutes.db import Connection
from minutes.db.analysis import get_analysis, get_sound_events
from minutes.db.meetings import get_meeting, get_segments
from minutes.db.summaries import get_summary
from minutes.document import render_document
from minutes.record import MeetingRecord


def load_record(conn: Connection, meeting_id: UUID) -> MeetingRecord | None:
    meeting = get_meeting(conn, meeting_id)
    if meeting is None:
        return None
    return MeetingRecord(
        meeting=meeting,
        segments=get_segments(conn, meeting_id),
        summary=get_summary(conn, meeting_id),
        analysis=get_analysis(conn, meeting_id),
        sounds=get_sound_events(conn, meeting_id, speech=False),
    )


def write_document(conn: Connection, meeting_id: UUID) -> str:
    record = load_record(conn, meeting_id)
    if record is None:
        raise LookupError(f"no meeting {meeting_id}")
    markdown = render_document(record)
    conn.execute(
        "INSERT INTO meeting_documents (meeting_id, markdown) VALUES (%s, %s)"
        " ON CONFLICT (meeting_id) DO UPDATE SET markdown = EXCLUDED.markdown, updated_at = now()",
        (meeting_id, markdown),
    )
    return markdown


def get_document(conn: Connection, meeting_id: UUID) -> str | None:
    row = conn.execute(
        "SELECT markdown FROM meeting_documents WHERE meeting_id = %s", (meeting_id,)
    ).fetchone()
    return row["markdown"] if row else None


def refresh_documents(conn: Connection, meeting_ids: Iterable[UUID]) -> None:
    """Rewrite the stored documents of these meetings (those that have one)."""
    rows = conn.execute(
        "SELECT meeting_id FROM meeting_documents WHERE meeting_id = ANY(%s)", (list(meeting_ids),)
    ).fetchall()
    for row in rows:
        write_document(conn, row["meeting_id"])
