"""Split a diarized transcript into sentences that keep their times and speaker."""

from __future__ import annotations

import re

from minutes.summary.model import Sentence
from minutes.transcript import Segment

_SENTENCE_END = re.compile(r"[.!?]+[\"')\]]*$")


def sentences(segments: list[Segment]) -> list[Sentence]:
    found: list[Sentence] = []
    for segment in segments:
        if not segment.words:
            found.append(
                Sentence(
                    text=segment.text, start=segment.start, end=segment.end, speaker=segment.speaker
                )
            )
            continue
        current: list[str] = []
        start = segment.words[0].start
        for word in segment.words:
            if not current:
                start = word.start
            current.append(word.word)
            if _SENTENCE_END.search(word.word):
                found.append(
                    Sentence(
                        text=" ".join(current), start=start, end=word.end, speaker=segment.speaker
                    )
                )
                current = []
        if current:
            found.append(
                Sentence(
                    text=" ".join(current),
                    start=start,
                    end=segment.words[-1].end,
                    speaker=segment.speaker,
                )
            )
    return [s for s in found if s.text.strip()]
