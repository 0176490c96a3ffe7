"""Search for a paraphrase of something said returns that meeting and moment first."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg

from minutes.config import Settings
from minutes.db.chunks import search
from minutes.db.meetings import create_meeting
from minutes.summary.extractive import TextEncoder
from tests.conftest import REPO, work_until_finished

Conn = psycopg.Connection[dict[str, Any]]


def test_hybrid_search_finds_the_meeting_and_the_moment(
    settings: Settings, db: Conn, english_speech: tuple[Path, str]
) -> None:
    sync = create_meeting(
        db, audio_url=str(REPO / "samples" / "team-sync.flac"), title="sync", options={}
    )
    budget = create_meeting(db, audio_url=str(english_speech[0]), title="budget", options={})
    work_until_finished(settings, sync.id, budget.id)

    def ask(query: str, **filters: Any) -> list[Any]:
        return search(db, query, TextEncoder.load().embed([query])[0], **filters)

    # "I will send the contract to the legal team by Friday." at ~29 s
    hits = ask("who is sending the agreement to our lawyers")
    assert hits[0].meeting_id == sync.id
    assert 27 <= hits[0].start <= 31 and "contract" in hits[0].text

    hits = ask("when do we look at the money plan for the quarter")
    assert hits[0].meeting_id == budget.id and hits[0].start < 5

    only_budget = ask("contract for legal", meeting_id=budget.id)
    assert {h.meeting_id for h in only_budget} == {budget.id}
    speaker = hits[0].speaker
    assert all(h.speaker == speaker for h in ask("plan", speaker=speaker))
    assert ask("contract", since=datetime.now(UTC) + timedelta(days=1)) == []

    # the stored document is indexed by headings too
    sections = {h.section for h in ask("what did the team decide", meeting_id=sync.id)}
    assert "Decisions" in sections
