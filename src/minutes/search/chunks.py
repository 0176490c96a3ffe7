"""Cut a meeting into search chunks: the transcript by speaker turns, the document by headings.

A transcript chunk never mixes speakers, so a hit can say who said it; within a long turn
chunks share one sentence, so a thought split across a boundary is still found whole.
Document chunks are the summary, decisions, action items and the other sections (not its
transcript, which the transcript chunks already cover), named by their heading.
"""

from __future__ import annotations

import re

from pydantic import BaseModel

from minutes.summary.model import Sentence

MAX_WORDS = 60
OVERLAP_SENTENCES = 1


class Chunk(BaseModel):
    start: float
    end: float
    speaker: str | None
    text: str
    section: str | None = None
    """The document heading it comes from; None for transcript chunks."""


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


_TIMESTAMP_LINK = re.compile(r"\[(\d\d:\d\d:\d\d)\]\(#t=([\d.]+)\)")
_MARKUP = re.compile(r"[*_|#]+|^-+$|^- ", re.MULTILINE)
SKIPPED_SECTIONS = frozenset({"Transcript"})


def chunk_document(markdown: str) -> list[Chunk]:
    """Each `##` section in pieces of at most MAX_WORDS words, timed by its first timestamp."""
    chunks: list[Chunk] = []
    for section in re.split(r"^## ", markdown, flags=re.MULTILINE)[1:]:
        heading, _, body = section.partition("\n")
        if heading.strip() in SKIPPED_SECTIONS:
            continue
        lines = [line for line in body.splitlines() if line.strip() and "---" not in line]
        piece: list[str] = []
        for line in [*lines, ""]:
            if line and (not piece or len(" ".join([*piece, line]).split()) <= MAX_WORDS):
                piece.append(line)
                continue
            if piece:
                chunks.append(_document_chunk(heading.strip(), "\n".join(piece)))
            piece = [line] if line else []
    return chunks


def _document_chunk(heading: str, text: str) -> Chunk:
    times = [float(seconds) for _, seconds in _TIMESTAMP_LINK.findall(text)]
    plain = _MARKUP.sub(" ", _TIMESTAMP_LINK.sub(r"\1", text))
    return Chunk(
        start=times[0] if times else 0.0,
        end=times[-1] if times else 0.0,
        speaker=None,
        text=f"{heading}: " + " ".join(plain.split()),
        section=heading,
    )
