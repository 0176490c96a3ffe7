"""Run a meeting again from one stage on, keeping what the stages before it produced.

For example, re-diarize with a known number of speakers without transcribing again.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from psycopg.types.json import Jsonb

from minutes.db import Connection
from minutes.db.meetings import Meeting, add_event, get_meeting, has_queued_work, queue_stage
from minutes.errors import BadInput
from minutes.pipeline import STAGES, overall_progress, stage_named


class CannotReprocess(BadInput):
    pass


def reprocess(
    conn: Connection, meeting_id: UUID, stage_name: str, options: dict[str, Any] | None = None
) -> Meeting:
    """Queue `stage_name` for the meeting; `options` are merged into the meeting's options
    (a None value removes that option)."""
    try:
        stage = stage_named(stage_name)
    except KeyError as error:
        raise CannotReprocess(str(error.args[0])) from None
    with conn.transaction():
        locked = conn.execute(
            "SELECT options FROM meetings WHERE id = %s FOR UPDATE", (meeting_id,)
        ).fetchone()
        if locked is None:
            raise CannotReprocess(f"no meeting {meeting_id}")
        if has_queued_work(conn, meeting_id):
            raise CannotReprocess(f"meeting {meeting_id} is already queued or running")
        index = STAGES.index(stage)
        if index and not _completed(conn, meeting_id, STAGES[index - 1].name):
            raise CannotReprocess(
                f"meeting {meeting_id} has not completed {STAGES[index - 1].name}; "
                f"reprocess from an earlier stage"
            )
        merged = {**locked["options"], **(options or {})}
        merged = {key: value for key, value in merged.items() if value is not None}
        conn.execute(
            "UPDATE meetings SET status = 'processing', stage = %s, progress = %s,"
            " error_message = NULL, options = %s WHERE id = %s",
            (stage.name, overall_progress(stage, 0), Jsonb(merged), meeting_id),
        )
        queue_stage(conn, meeting_id, stage.name, stage.queue)
        add_event(conn, meeting_id, "meeting.reprocess", stage.name, {"options": options or {}})
    meeting = get_meeting(conn, meeting_id)
    assert meeting is not None
    return meeting


def _completed(conn: Connection, meeting_id: UUID, stage_name: str) -> bool:
    row = conn.execute(
        "SELECT EXISTS (SELECT 1 FROM meeting_events WHERE meeting_id = %s"
        " AND kind = 'stage.completed' AND stage = %s) AS done",
        (meeting_id, stage_name),
    ).fetchone()
    return bool(row and row["done"])
