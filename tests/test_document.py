from __future__ import annotations

from minutes.document import render_document
from minutes.record import MeetingRecord
from minutes.summary.model import ActionItem, KeyPoint, MeetingSummary
from tests.test_exports import MEETING, NAMED

SUMMARY = MeetingSummary(
    summary="We ship in May.",
    key_points=[KeyPoint(text="Release moves to May.", start=61.0, speaker="Ana Ruiz")],
    decisions=[KeyPoint(text="We will go with May.", start=62.0, speaker="Ana Ruiz")],
    action_items=[
        ActionItem(text="I will send it | today.", owner="Ana Ruiz", due="today", start=62.0),
        ActionItem(text="Someone should check.", owner=None, due=None, start=70.0),
    ],
    topics=["release date"],
    sentiment="positive",
    sentiment_score=0.41,
    model_used="extractive:all-MiniLM-L6-v2",
)


def test_the_document_has_every_section_in_order() -> None:
    document = render_document(MeetingRecord(MEETING, NAMED, SUMMARY))
    headings = [line for line in document.splitlines() if line.startswith("#")]
    assert headings == [
        "# Sync",
        "## Summary",
        "## Key points",
        "## Decisions",
        "## Action items",
        "## Topics",
        "## Transcript",
    ]
    assert "**Participants:** Ana Ruiz (00:00:02)" in document
    assert "| 1 | I will send it \\| today. | Ana Ruiz | today | [00:01:02](#t=62.0) |" in document
    assert "| 2 | Someone should check. |  |  | [00:01:10](#t=70.0) |" in document
    assert "- [00:01:02](#t=62.0) We will go with May." in document
    assert "**[00:01:02](#t=62.0) Ana Ruiz:** I will send it by Friday." in document


def test_without_a_summary_the_document_is_the_transcript() -> None:
    document = render_document(MeetingRecord(MEETING, NAMED))
    assert "## Summary" not in document and "## Transcript" in document
