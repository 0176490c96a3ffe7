"""Summarize: summary, key points, decisions, action items, topics and sentiment.

An LLM behind `MINUTES_LLM_BASE_URL` writes them when one is configured; otherwise the
offline extractive backend does. Saving also writes the meeting's markdown document.
"""

from __future__ import annotations

from minutes.db import Connection
from minutes.db.documents import write_document
from minutes.db.meetings import Meeting, get_segments
from minutes.db.summaries import save_summary
from minutes.pipeline.stage import Stage, StageContext
from minutes.summary.extractive import TextEncoder, summarize
from minutes.summary.llm import summarize_with_llm
from minutes.summary.model import MeetingSummary
from minutes.summary.sentences import sentences


def summarize_meeting(context: StageContext) -> MeetingSummary:
    with context.connection() as conn:
        segments = get_segments(conn, context.meeting.id)
    context.report_progress(0.05)
    said = sentences(segments)
    if context.settings.llm_base_url:
        return summarize_with_llm(said, context.settings, context.report_progress)
    return summarize(said, TextEncoder.load())


def save(conn: Connection, meeting: Meeting, summary: MeetingSummary) -> None:
    save_summary(conn, meeting.id, summary)
    write_document(conn, meeting.id)


STAGE = Stage(name="summarize", queue="llm", weight=5, compute=summarize_meeting, save=save)
