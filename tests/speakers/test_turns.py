from __future__ import annotations

from minutes.speakers.turns import MAX_PIECE_SECONDS, label_segments, split_into_pieces
from minutes.transcript import Segment, Word


def words(*spans: tuple[str, float, float]) -> list[Word]:
    return [Word(word=w, start=s, end=e, probability=0.9) for w, s, e in spans]


TWO_VOICES_IN_ONE = Segment(
    start=0.0,
    end=4.0,
    text="Can you do it? Yes I can.",
    confidence=0.8,
    words=words(
        ("Can", 0.0, 0.2), ("you", 0.25, 0.4), ("do", 0.45, 0.6), ("it?", 0.65, 1.0),
        ("Yes", 1.6, 1.8), ("I", 1.85, 1.9), ("can.", 1.95, 2.3),
    ),
)  # fmt: skip


def test_pieces_end_at_pauses() -> None:
    pieces = split_into_pieces([TWO_VOICES_IN_ONE])
    assert [[w.word for w in p.words] for p in pieces] == [
        ["Can", "you", "do", "it?"],
        ["Yes", "I", "can."],
    ]
    assert (pieces[0].start, pieces[0].end) == (0.0, 1.0)


def test_long_stretches_are_cut_at_word_boundaries() -> None:
    steady = [("w", i * 0.5, i * 0.5 + 0.45) for i in range(30)]  # 15 s, no pause
    pieces = split_into_pieces([Segment(start=0, end=15, text="w " * 30, words=words(*steady))])
    assert len(pieces) >= 15 / MAX_PIECE_SECONDS
    assert all(p.duration <= MAX_PIECE_SECONDS for p in pieces)
    assert sum(len(p.words) for p in pieces) == 30


def test_a_segment_is_split_where_the_speaker_changes() -> None:
    pieces = split_into_pieces([TWO_VOICES_IN_ONE])
    labelled = label_segments([TWO_VOICES_IN_ONE], pieces, ["SPEAKER_00", "SPEAKER_01"])
    assert [(s.speaker_label, s.text, s.start, s.end) for s in labelled] == [
        ("SPEAKER_00", "Can you do it?", 0.0, 1.0),
        ("SPEAKER_01", "Yes I can.", 1.6, 2.3),
    ]
    assert {w.speaker_label for w in labelled[1].words} == {"SPEAKER_01"}
    assert all(s.confidence == 0.8 for s in labelled)


def test_one_speaker_keeps_the_segment_whole() -> None:
    pieces = split_into_pieces([TWO_VOICES_IN_ONE])
    labelled = label_segments([TWO_VOICES_IN_ONE], pieces, ["SPEAKER_00", "SPEAKER_00"])
    assert len(labelled) == 1
    assert labelled[0].text == TWO_VOICES_IN_ONE.text
    assert all(w.speaker_label == "SPEAKER_00" for w in labelled[0].words)


def test_segments_without_words_are_one_piece() -> None:
    bare = Segment(start=3.0, end=5.0, text="Hmm.")
    pieces = split_into_pieces([bare])
    assert [(p.start, p.end, p.words) for p in pieces] == [(3.0, 5.0, [])]
    assert label_segments([bare], pieces, ["SPEAKER_00"])[0].speaker_label == "SPEAKER_00"
