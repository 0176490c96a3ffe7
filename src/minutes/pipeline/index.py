"""Index: chunk the transcript by speaker turns and the document by headings; embed both."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from minutes.db import Connection
from minutes.db.chunks import replace_chunks
from minutes.db.documents import get_document
from minutes.db.meetings import Meeting, get_segments
from minutes.pipeline.stage import Stage, StageContext
from minutes.search.chunks import Chunk, chunk_document, chunk_sentences
from minutes.summary.extractive import TextEncoder
from minutes.summary.sentences import sentences


@dataclass(frozen=True)
class Indexed:
    chunks: list[Chunk]
    vectors: npt.NDArray[np.float32]


def index(context: StageContext) -> Indexed:
    with context.connection() as conn:
        segments = get_segments(conn, context.meeting.id)
        document = get_document(conn, context.meeting.id)
    chunks = chunk_sentences(sentences(segments)) + chunk_document(document or "")
    if not chunks:
        return Indexed(chunks=[], vectors=np.zeros((0, 384), dtype=np.float32))
    return Indexed(chunks=chunks, vectors=TextEncoder.load().embed([c.text for c in chunks]))


def save(conn: Connection, meeting: Meeting, result: Indexed) -> None:
    replace_chunks(conn, meeting.id, result.chunks, result.vectors)


STAGE = Stage(name="index", queue="cpu", weight=3, compute=index, save=save)
