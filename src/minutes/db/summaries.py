"""The one summary row per meeting (`meeting_summaries`)."""

from __future__ import annotations

from uuid import UUID

from psycopg.types.json import Jsonb

from minutes.db import Connection
from minutes.summary.model import MeetingSummary

_LISTS = ("key_points", "decisions", "action_items", "topics")


def save_summary(conn: Connection, meeting_id: UUID, summary: MeetingSummary) -> None:
    data = summary.model_dump(mode="json")
    conn.execute(
        "INSERT INTO meeting_summaries (meeting_id, summary, key_points, decisions, action_items,"
        " topics, sentiment, sentiment_score, model_used)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)"
        " ON CONFLICT (meeting_id) DO UPDATE SET summary = EXCLUDED.summary,"
        " key_points = EXCLUDED.key_points, decisions = EXCLUDED.decisions,"
        " action_items = EXCLUDED.action_items, topics = EXCLUDED.topics,"
        " sentiment = EXCLUDED.sentiment, sentiment_score = EXCLUDED.sentiment_score,"
        " model_used = EXCLUDED.model_used",
        (
            meeting_id,
            data["summary"],
            *(Jsonb(data[name]) for name in _LISTS),
            data["sentiment"],
            data["sentiment_score"],
            data["model_used"],
        ),
    )


def get_summary(conn: Connection, meeting_id: UUID) -> MeetingSummary | None:
    row = conn.execute(
        "SELECT summary, key_points, decisions, action_items, topics, sentiment,"
        " sentiment_score, model_used FROM meeting_summaries WHERE meeting_id = %s",
        (meeting_id,),
    ).fetchone()
    return MeetingSummary.model_validate(row) if row else None
