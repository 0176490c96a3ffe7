"""Cut a transcript into search chunks: consecutive sentences of one speaker, overlapping.

A chunk never mixes speakers, so a hit can say who said it; within a long turn chunks
share one sentence, so a thought split across a boundary is still found whole.
"""

from __future__ import annotations

from pydantic import BaseModel

from minutes.summary.model import Sentence

MAX_WORDS = 60
OVERLAP_SENTENCES = 1


class Chunk(BaseModel):
    start: float
    end: float
    speaker: str | None
    text: str


def chunk_sentences(sentences: list[Sentence]) -> list[Chunk]:
    chunks: list[Chunk] = []
    turn: list[Sentence] = []
    for sentence in sentences:
        if turn and sentence.speaker != turn[-1].speaker:
            chunks += _chunk_turn(turn)
            turn = []
        turn.append(sentence)
    if turn:
        chunks += _chunk_turn(turn)
    return chunks


def _chunk_turn(turn: list[Sentence]) -> list[Chunk]:
    chunks = []
    current: list[Sentence] = []
    words = 0
    for sentence in turn:
        count = len(sentence.text.split())
        if current and words + count > MAX_WORDS:
            chunks.append(_chunk(current))
            current = current[-OVERLAP_SENTENCES:]
            words = sum(len(s.text.split()) for s in current)
        current.append(sentence)
        words += count
    if current:
        chunks.append(_chunk(current))
    return chunks


def _chunk(sentences: list[Sentence]) -> Chunk:
    return Chunk(
        start=sentences[0].start,
        end=sentences[-1].end,
        speaker=sentences[0].speaker,
        text=" ".join(s.text for s in sentences),
    )
