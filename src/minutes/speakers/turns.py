"""Cut the transcript into short pieces of speech that each belong to one speaker.

Whisper's segments follow sentences, not speakers: one may run across a change of voice.
Pieces end at pauses between words, at sentence ends and at most every few seconds (at a
word boundary), so a change of speaker always falls between two pieces.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from minutes.transcript import Segment, Word

PAUSE_SECONDS = 0.3
"""A silence this long between two words may be a change of speaker."""
MAX_PIECE_SECONDS = 5.0
"""Longer stretches are cut at a word boundary, to catch changes without a pause."""
MIN_EMBED_SECONDS = 1.0
"""Shorter pieces ("Yeah.", "Okay?") give unreliable voices: they join the nearest speaker."""
_SENTENCE_END = (".", "?", "!")


@dataclass
class Piece:
    segment_index: int
    start: float
    end: float
    words: list[Word] = field(default_factory=list)

    @property
    def duration(self) -> float:
        return self.end - self.start


def split_into_pieces(segments: list[Segment]) -> list[Piece]:
    pieces: list[Piece] = []
    for index, segment in enumerate(segments):
        if not segment.words:
            pieces.append(Piece(index, segment.start, segment.end))
            continue
        current = [segment.words[0]]
        for word in segment.words[1:]:
            if _starts_new_piece(current, word):
                pieces.append(Piece(index, current[0].start, current[-1].end, current))
                current = []
            current.append(word)
        pieces.append(Piece(index, current[0].start, current[-1].end, current))
    return pieces


def _starts_new_piece(current: list[Word], word: Word) -> bool:
    length = current[-1].end - current[0].start
    return (
        word.start - current[-1].end >= PAUSE_SECONDS
        or word.end - current[0].start > MAX_PIECE_SECONDS
        or (current[-1].word.endswith(_SENTENCE_END) and length >= MIN_EMBED_SECONDS)
    )


def label_segments(
    segments: list[Segment], pieces: list[Piece], labels: list[str]
) -> list[Segment]:
    """The transcript again, split where the speaker changes inside a segment; every segment
    and word carries its speaker label and spans exactly its words."""
    groups: list[tuple[int, str, list[Piece]]] = []
    for piece, label in zip(pieces, labels, strict=True):
        if groups and groups[-1][0] == piece.segment_index and groups[-1][1] == label:
            groups[-1][2].append(piece)
        else:
            groups.append((piece.segment_index, label, [piece]))
    groups_per_segment = Counter(index for index, _, _ in groups)
    split = {index for index, count in groups_per_segment.items() if count > 1}
    labelled = []
    for index, label, group in groups:
        original = segments[index]
        words = [w.model_copy(update={"speaker_label": label}) for p in group for w in p.words]
        text = " ".join(w.word for w in words) if index in split else original.text
        labelled.append(
            original.model_copy(
                update={
                    "start": group[0].start,
                    "end": group[-1].end,
                    "text": text,
                    "speaker_label": label,
                    "speaker_id": None,
                    "words": words,
                }
            )
        )
    return labelled
