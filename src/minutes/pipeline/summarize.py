"""Summarize: summary, key points, decisions, action items, topics and sentiment.

The offline extractive backend is the default (an OpenAI-compatible LLM backend is the
next step, issue 4).
"""

from __future__ import annotations

from minutes.db import Connection
from minutes.db.documents import write_document
from minutes.db.meetings import Meeting, get_segments
from minutes.db.summaries import save_summary
from minutes.pipeline.stage import Stage, StageContext
from minutes.summary.extractive import TextEncoder, summarize
from minutes.summary.model import MeetingSummary
from minutes.summary.sentences import sentences


def summarize_meeting(context: StageContext) -> MeetingSummary:
    with context.connection() as conn:
        segments = get_segments(conn, context.meeting.id)
    context.report_progress(0.1)
    return summarize(sentences(segments), TextEncoder.load())


def save(conn: Connection, meeting: Meeting, summary: MeetingSummary) -> None:
    save_summary(conn, meeting.id, summary)
    write_document(conn, meeting.id)


STAGE = Stage(name="summarize", queue="llm", weight=5, compute=summarize_meeting, save=save)
