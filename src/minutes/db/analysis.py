"""The analyze stage's rows: sound events and the one analysis row per meeting."""

from __future__ import annotations

from uuid import UUID

from psycopg.types.json import Jsonb

from minutes.analysis.model import MeetingAnalysis, MoodEstimate, SoundEvent, VoiceStats
from minutes.db import Connection, replace_meeting_rows


def save_analysis(
    conn: Connection, meeting_id: UUID, events: list[SoundEvent], analysis: MeetingAnalysis
) -> None:
    replace_meeting_rows(
        conn,
        "meeting_sound_events",
        meeting_id,
        ("label", "start_time", "end_time", "score"),
        [(e.label, e.start, e.end, e.score) for e in events],
    )
    mood = analysis.mood
    conn.execute(
        "INSERT INTO meeting_analysis (meeting_id, mood, arousal, valence, mood_confidence,"
        " meeting_voice, speaker_voices, sound_seconds, model_used)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)"
        " ON CONFLICT (meeting_id) DO UPDATE SET mood = EXCLUDED.mood,"
        " arousal = EXCLUDED.arousal, valence = EXCLUDED.valence,"
        " mood_confidence = EXCLUDED.mood_confidence, meeting_voice = EXCLUDED.meeting_voice,"
        " speaker_voices = EXCLUDED.speaker_voices, sound_seconds = EXCLUDED.sound_seconds,"
        " model_used = EXCLUDED.model_used, updated_at = now()",
        (
            meeting_id,
            mood.mood,
            mood.arousal,
            mood.valence,
            mood.confidence,
            Jsonb(analysis.meeting.model_dump(mode="json")),
            Jsonb([s.model_dump(mode="json") for s in analysis.speakers]),
            Jsonb(analysis.sound_seconds),
            analysis.model_used,
        ),
    )


def get_analysis(conn: Connection, meeting_id: UUID) -> MeetingAnalysis | None:
    row = conn.execute(
        "SELECT * FROM meeting_analysis WHERE meeting_id = %s", (meeting_id,)
    ).fetchone()
    if row is None:
        return None
    return MeetingAnalysis(
        meeting=VoiceStats.model_validate(row["meeting_voice"]),
        speakers=[VoiceStats.model_validate(s) for s in row["speaker_voices"]],
        mood=MoodEstimate(
            mood=row["mood"],
            arousal=row["arousal"],
            valence=row["valence"],
            confidence=row["mood_confidence"],
        ),
        sound_seconds=row["sound_seconds"],
        model_used=row["model_used"],
    )


def get_sound_events(
    conn: Connection, meeting_id: UUID, *, speech: bool = True
) -> list[SoundEvent]:
    """The meeting's labelled stretches in time order; `speech=False` leaves speech out."""
    rows = conn.execute(
        "SELECT label, start_time AS start, end_time AS end, score FROM meeting_sound_events"
        " WHERE meeting_id = %s AND (%s OR label <> 'Speech') ORDER BY start_time",
        (meeting_id, speech),
    ).fetchall()
    return [SoundEvent.model_validate(row) for row in rows]
