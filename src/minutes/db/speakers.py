"""Speaker profiles (enrolled voices) and the voices found in each meeting.

A profile's embedding is the running mean of every confirmed turn it has been given
(enrolment recordings count one each, a named meeting voice counts its turns), kept at
unit length; `audio_samples` is that count. Matches made by the model alone never move a
profile, so one wrong match cannot drag a voice towards someone else.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel

from minutes.db import Connection, replace_meeting_rows, with_vectors
from minutes.db.documents import refresh_documents

MATCH_THRESHOLD = 0.80
"""Cosine similarity a meeting voice needs to an enrolled profile to take its name.
resemblyzer puts one voice at 0.85-0.95 across recordings and different people at 0.5-0.78."""

Vector = npt.NDArray[np.float32]


class Profile(BaseModel):
    id: UUID
    name: str
    audio_samples: int
    meetings: int


@dataclass(frozen=True)
class MeetingVoice:
    label: str
    embedding: Vector
    turns: int
    seconds: float


def _unit(vector: Vector) -> Vector:
    return (vector / np.linalg.norm(vector)).astype(np.float32)


def _array(stored: Any) -> Vector:
    """A `vector` column as numpy (pgvector hands back its own Vector type)."""
    return np.asarray(stored.to_numpy(), dtype=np.float32)


def list_profiles(conn: Connection) -> list[Profile]:
    rows = conn.execute(
        "SELECT id, name, audio_samples, cardinality(meeting_ids) AS meetings"
        " FROM speakers ORDER BY lower(name)"
    ).fetchall()
    return [Profile.model_validate(row) for row in rows]


def find_profile(conn: Connection, name_or_id: str) -> UUID | None:
    row = conn.execute(
        "SELECT id FROM speakers WHERE lower(name) = lower(%s) OR id::text = %s",
        (name_or_id, name_or_id),
    ).fetchone()
    return row["id"] if row else None


def add_confirmed_audio(conn: Connection, name: str, embedding: Vector, turns: int) -> UUID:
    """Create the profile `name`, or fold `turns` more confirmed turns into its running mean."""
    with_vectors(conn)
    row = conn.execute(
        "SELECT id, embedding, audio_samples FROM speakers WHERE lower(name) = lower(%s)"
        " FOR UPDATE",
        (name,),
    ).fetchone()
    if row is None:
        created = conn.execute(
            "INSERT INTO speakers (name, embedding, audio_samples) VALUES (%s, %s, %s)"
            " RETURNING id",
            (name, _unit(embedding), turns),
        ).fetchone()
        assert created is not None
        return UUID(str(created["id"]))
    count = row["audio_samples"]
    merged = _array(row["embedding"]) * count + embedding * turns if count else embedding
    conn.execute(
        "UPDATE speakers SET embedding = %s, audio_samples = %s WHERE id = %s",
        (_unit(merged), count + turns, row["id"]),
    )
    return UUID(str(row["id"]))


def match_voices(conn: Connection, voices: list[MeetingVoice]) -> dict[str, tuple[UUID, float]]:
    """Each voice's best profile above MATCH_THRESHOLD; one profile names at most one voice."""
    with_vectors(conn)
    candidates = []
    for voice in voices:
        rows = conn.execute(
            "SELECT id, 1 - (embedding <=> %s) AS similarity FROM speakers"
            " WHERE embedding IS NOT NULL ORDER BY embedding <=> %s LIMIT 3",
            (voice.embedding, voice.embedding),
        ).fetchall()
        candidates += [(row["similarity"], voice.label, row["id"]) for row in rows]
    matches: dict[str, tuple[UUID, float]] = {}
    taken: set[UUID] = set()
    for similarity, label, speaker_id in sorted(candidates, key=lambda c: c[0], reverse=True):
        if similarity >= MATCH_THRESHOLD and label not in matches and speaker_id not in taken:
            matches[label] = (speaker_id, float(similarity))
            taken.add(speaker_id)
    return matches


def save_meeting_voices(
    conn: Connection,
    meeting_id: UUID,
    voices: list[MeetingVoice],
    matches: dict[str, tuple[UUID, float]],
) -> None:
    """Replace the meeting's voices and link its segments to the matched profiles."""
    with_vectors(conn)
    replace_meeting_rows(
        conn,
        "meeting_speakers",
        meeting_id,
        ("label", "speaker_id", "similarity", "embedding", "turns", "seconds"),
        [
            (
                voice.label,
                *matches.get(voice.label, (None, None)),
                voice.embedding,
                voice.turns,
                voice.seconds,
            )
            for voice in voices
        ],
    )
    _link_segments(conn, meeting_id)


def _link_segments(conn: Connection, meeting_id: UUID) -> None:
    """Point the meeting's segments and profiles at each other from meeting_speakers."""
    conn.execute(
        "UPDATE transcript_segments s SET speaker_id = v.speaker_id FROM meeting_speakers v"
        " WHERE v.meeting_id = s.meeting_id AND v.label = s.speaker_label AND s.meeting_id = %s",
        (meeting_id,),
    )
    conn.execute(
        "UPDATE speakers SET meeting_ids = array_append(meeting_ids, %s)"
        " WHERE id IN (SELECT speaker_id FROM meeting_speakers WHERE meeting_id = %s)"
        " AND NOT %s = ANY(meeting_ids)",
        (meeting_id, meeting_id, meeting_id),
    )


def meeting_voices(conn: Connection, meeting_id: UUID) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = conn.execute(
        "SELECT v.label, p.name, v.similarity, v.confirmed, v.turns, v.seconds"
        " FROM meeting_speakers v LEFT JOIN speakers p ON p.id = v.speaker_id"
        " WHERE v.meeting_id = %s ORDER BY v.label",
        (meeting_id,),
    ).fetchall()
    return rows


class UnknownVoice(LookupError):
    pass


def name_voice(conn: Connection, meeting_id: UUID, label: str, name: str) -> UUID:
    """A person says who `label` is: enrol (or improve) that profile and relabel the meeting."""
    with_vectors(conn)
    row = conn.execute(
        "SELECT embedding, turns FROM meeting_speakers WHERE meeting_id = %s AND label = %s",
        (meeting_id, label),
    ).fetchone()
    if row is None:
        raise UnknownVoice(f"meeting {meeting_id} has no voice {label}")
    speaker_id = add_confirmed_audio(conn, name, _array(row["embedding"]), row["turns"])
    conn.execute(
        "UPDATE meeting_speakers SET speaker_id = %s, confirmed = true, similarity = NULL"
        " WHERE meeting_id = %s AND label = %s",
        (speaker_id, meeting_id, label),
    )
    _link_segments(conn, meeting_id)
    refresh_documents(conn, [meeting_id])
    return speaker_id


def merge_profiles(conn: Connection, keep: UUID, absorb: UUID) -> None:
    """Fold profile `absorb` into `keep`: weighted mean voice, meetings, segments."""
    with_vectors(conn)
    rows = {
        row["id"]: row
        for row in conn.execute(
            "SELECT id, embedding, audio_samples, meeting_ids FROM speakers WHERE id = ANY(%s)",
            ([keep, absorb],),
        ).fetchall()
    }
    kept, gone = rows[keep], rows[absorb]
    weights = max(kept["audio_samples"], 1), max(gone["audio_samples"], 1)
    merged = _unit(_array(kept["embedding"]) * weights[0] + _array(gone["embedding"]) * weights[1])
    meetings = list(dict.fromkeys([*kept["meeting_ids"], *gone["meeting_ids"]]))
    conn.execute(
        "UPDATE speakers SET embedding = %s, audio_samples = %s, meeting_ids = %s WHERE id = %s",
        (merged, kept["audio_samples"] + gone["audio_samples"], meetings, keep),
    )
    for table in ("transcript_segments", "meeting_speakers"):
        conn.execute(f"UPDATE {table} SET speaker_id = %s WHERE speaker_id = %s", (keep, absorb))
    conn.execute("DELETE FROM speakers WHERE id = %s", (absorb,))
    refresh_documents(conn, _meetings_of(conn, keep))


def rename_profile(conn: Connection, speaker_id: UUID, name: str) -> bool:
    row = conn.execute(
        "UPDATE speakers SET name = %s WHERE id = %s RETURNING id", (name, speaker_id)
    ).fetchone()
    if row is not None:
        refresh_documents(conn, _meetings_of(conn, speaker_id))
    return row is not None


def delete_profile(conn: Connection, speaker_id: UUID) -> None:
    """Forget a voice; its meetings keep their labels and lose the name."""
    meetings = _meetings_of(conn, speaker_id)
    conn.execute("DELETE FROM speakers WHERE id = %s", (speaker_id,))
    refresh_documents(conn, meetings)


def _meetings_of(conn: Connection, speaker_id: UUID) -> list[UUID]:
    rows = conn.execute(
        "SELECT DISTINCT meeting_id FROM meeting_speakers WHERE speaker_id = %s", (speaker_id,)
    ).fetchall()
    return [row["meeting_id"] for row in rows]
