from __future__ import annotations

from minutes.search.chunks import MAX_WORDS, chunk_document, chunk_sentences
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


TOPICS = "\n".join(f"- topic{i} " + " ".join(["word"] * 10) for i in range(12))
DOCUMENT = f"""# Sync

**Date:** 2026-11-23 10:00 UTC

## Summary

We will go with the cheaper vendor.

## Action items

| # | Action | Owner | Due | Said at |
|---|---|---|---|---|
| 1 | Send the contract. | Ana | by Friday | [00:00:29](#t=29.0) |
| 2 | Update the roadmap. | Bo | tomorrow | [00:00:35](#t=35.6) |

## Topics

{TOPICS}

## Transcript

**[00:00:01](#t=1.0) Ana:** Good morning.
"""


def test_the_document_is_chunked_by_heading_without_its_transcript() -> None:
    chunks = chunk_document(DOCUMENT)
    assert [c.section for c in chunks[:2]] == ["Summary", "Action items"]
    assert chunks[0].text == "Summary: We will go with the cheaper vendor."
    actions = chunks[1]
    assert (actions.start, actions.end, actions.speaker) == (29.0, 35.6, None)
    assert "Send the contract. Ana by Friday 00:00:29" in actions.text and "#t=" not in actions.text
    topics = [c for c in chunks if c.section == "Topics"]
    assert len(topics) >= 2 and all(len(c.text.split()) <= MAX_WORDS + 1 for c in topics)
    assert "Transcript" not in {c.section for c in chunks}
