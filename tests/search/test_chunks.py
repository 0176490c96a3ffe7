from __future__ import annotations

from minutes.search.chunks import MAX_WORDS, chunk_sentences
from minutes.summary.model import Sentence


def test_chunks_keep_one_speaker_and_overlap_inside_long_turns() -> None:
    long_turn = [
        Sentence(
            text=" ".join(["word"] * 25) + ".", start=i * 10.0, end=i * 10.0 + 9, speaker="Ana"
        )
        for i in range(5)
    ]
    reply = [Sentence(text="Sounds good to me.", start=60.0, end=61.0, speaker="Bo")]
    chunks = chunk_sentences(long_turn + reply)
    assert [c.speaker for c in chunks][-1] == "Bo"
    ana = [c for c in chunks if c.speaker == "Ana"]
    assert len(ana) >= 2
    assert all(len(c.text.split()) <= MAX_WORDS for c in ana)
    assert ana[1].start < ana[0].end  # the shared sentence
    assert (ana[0].start, ana[-1].end) == (0.0, 49.0)
    assert chunks[-1].text == "Sounds good to me." and chunks[-1].start == 60.0


def test_nothing_to_chunk() -> None:
    assert chunk_sentences([]) == []
