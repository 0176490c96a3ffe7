"""Search chunks: stored per meeting, found by a hybrid of vector and full-text ranking.

Both rankings return their best RANK_DEPTH chunks; reciprocal rank fusion adds
1 / (RRF_K + rank) from each, so a chunk that is good in both wins, and one found by only
one ranking (a paraphrase, or an exact name the embedding misses) still shows.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel

from minutes.db import Connection, replace_meeting_rows, with_vectors
from minutes.search.chunks import Chunk

RRF_K = 60
RANK_DEPTH = 50


class Hit(BaseModel):
    meeting_id: UUID
    title: str | None
    created_at: datetime
    start: float
    end: float
    speaker: str | None
    text: str
    section: str | None
    score: float


def replace_chunks(
    conn: Connection, meeting_id: UUID, chunks: list[Chunk], vectors: npt.NDArray[np.float32]
) -> None:
    with_vectors(conn)
    replace_meeting_rows(
        conn,
        "transcript_chunks",
        meeting_id,
        ("start_time", "end_time", "speaker", "text", "section", "embedding"),
        [
            (c.start, c.end, c.speaker, c.text, c.section, v)
            for c, v in zip(chunks, vectors, strict=True)
        ],
    )


def search(
    conn: Connection,
    query: str,
    vector: npt.NDArray[np.float32],
    *,
    meeting_id: UUID | None = None,
    speaker: str | None = None,
    since: datetime | None = None,
    limit: int = 10,
    user_id: UUID | None = None,
) -> list[Hit]:
    """The best chunks; `user_id` limits the search to that user's meetings."""
    with_vectors(conn)
    filters = (
        " AND (%(meeting)s::uuid IS NULL OR c.meeting_id = %(meeting)s)"
        " AND (%(speaker)s::text IS NULL OR lower(c.speaker) = lower(%(speaker)s))"
        " AND (%(since)s::timestamptz IS NULL OR m.created_at >= %(since)s)"
        " AND (%(user)s::uuid IS NULL OR m.user_id = %(user)s)"
    )
    rows = conn.execute(
        "WITH by_vector AS ("
        "  SELECT c.id, row_number() OVER (ORDER BY c.embedding <=> %(vector)s) AS rank"
        "  FROM transcript_chunks c JOIN meetings m ON m.id = c.meeting_id"
        f"  WHERE true {filters}"
        "  ORDER BY c.embedding <=> %(vector)s LIMIT %(depth)s),"
        " by_text AS ("
        "  SELECT c.id, row_number() OVER (ORDER BY ts_rank_cd(c.tsv, q) DESC) AS rank"
        "  FROM transcript_chunks c JOIN meetings m ON m.id = c.meeting_id,"
        "  websearch_to_tsquery('english', %(query)s) q"
        f"  WHERE c.tsv @@ q {filters}"
        "  ORDER BY ts_rank_cd(c.tsv, q) DESC LIMIT %(depth)s),"
        " fused AS ("
        "  SELECT id, sum(1.0 / (%(k)s + rank)) AS score FROM ("
        "   SELECT * FROM by_vector UNION ALL SELECT * FROM by_text) ranked GROUP BY id)"
        " SELECT c.meeting_id, m.title, m.created_at, c.start_time AS start, c.end_time AS end,"
        " c.speaker, c.text, c.section, f.score FROM fused f JOIN transcript_chunks c ON c.id = f.id"
        " JOIN meetings m ON m.id = c.meeting_id ORDER BY f.score DESC, c.start_time"
        " LIMIT %(limit)s",
        {
            "vector": vector,
            "query": query,
            "meeting": meeting_id,
            "speaker": speaker,
            "since": since,
            "user": user_id,
            "depth": RANK_DEPTH,
            "k": RRF_K,
            "limit": limit,
        },
    ).fetchall()
    return [Hit.model_validate(row) for row in rows]
