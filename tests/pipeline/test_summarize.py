"""Minutes from a generated meeting with known decisions and commitments, on the real stack."""

from __future__ import annotations

from typing import Any

import psycopg

from minutes.config import Settings
from minutes.db.meetings import create_meeting, get_meeting, get_segments
from minutes.db.summaries import get_summary
from tests.conftest import REPO, work_until_finished

Conn = psycopg.Connection[dict[str, Any]]
SAMPLE = REPO / "samples" / "team-sync.flac"  # tests/speech.py TEAM_SYNC, two voices


def voice_of(db: Conn, meeting_id: Any, words: str) -> str | None:
    for segment in get_segments(db, meeting_id):
        if words in segment.text.lower():
            return segment.speaker
    raise AssertionError(f"nobody said {words!r}")


def test_summary_decision_and_every_action_item_with_its_owner(
    settings: Settings, db: Conn
) -> None:
    meeting = create_meeting(db, audio_url=str(SAMPLE), title="Team sync", options={})
    work_until_finished(settings, meeting.id)
    finished = get_meeting(db, meeting.id)
    assert finished is not None and finished.status == "completed", finished

    summary = get_summary(db, meeting.id)
    assert summary is not None
    assert "cheaper vendor" in summary.summary  # the decision
    assert any("cheaper vendor" in d.text for d in summary.decisions)

    female = voice_of(db, meeting.id, "legal team")
    male = voice_of(db, meeting.id, "roadmap")
    assert female != male
    assert [(i.owner, i.due) for i in summary.action_items] == [
        (female, "by Friday"),  # "I will send the contract to the legal team by Friday."
        (male, "tomorrow"),  # "I'll update the roadmap and share it with the team tomorrow."
        (female, "next week"),  # "Please draft the job description ..." answered by her
    ]
    assert summary.sentiment == "positive"
