from __future__ import annotations

from typing import Any

import psycopg
import pytest

from minutes.db.meetings import create_meeting, get_meeting, has_queued_work
from minutes.pipeline.reprocess import CannotReprocess, reprocess

Conn = psycopg.Connection[dict[str, Any]]


def test_refusals_are_explained(db: Conn) -> None:
    meeting = create_meeting(db, audio_url="/a.wav", title="a", options={"num_speakers": 2})
    with pytest.raises(CannotReprocess, match="no stage named 'summarise'"):
        reprocess(db, meeting.id, "summarise")
    with pytest.raises(CannotReprocess, match="already queued or running"):
        reprocess(db, meeting.id, "ingest")  # its first job is still waiting

    db.execute("DELETE FROM procrastinate_jobs")
    db.execute("UPDATE meetings SET status = 'failed' WHERE id = %s", (meeting.id,))
    with pytest.raises(CannotReprocess, match="has not completed transcribe"):
        reprocess(db, meeting.id, "diarize")


def test_reprocess_queues_the_stage_and_merges_options(db: Conn) -> None:
    meeting = create_meeting(db, audio_url="/a.wav", title="a", options={"num_speakers": 2})
    db.execute("DELETE FROM procrastinate_jobs")
    db.execute(
        "UPDATE meetings SET status = 'failed', error_message = 'boom' WHERE id = %s", (meeting.id,)
    )
    again = reprocess(db, meeting.id, "ingest", {"num_speakers": None, "language": "de"})
    assert (again.status, again.stage, again.error_message) == ("processing", "ingest", None)
    assert again.options == {"language": "de"}
    assert has_queued_work(db, meeting.id)
    stored = get_meeting(db, meeting.id)
    assert stored is not None and stored.progress == 0
