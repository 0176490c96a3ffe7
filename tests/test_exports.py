from __future__ import annotations

import json
from datetime import UTC, datetime
from uuid import uuid4

import pytest

from minutes import exports
from minutes.db.meetings import Meeting
from minutes.transcript import Segment, Word

NOW = datetime(2026, 11, 23, tzinfo=UTC)
MEETING = Meeting(
    id=uuid4(),
    title="Sync",
    status="completed",
    stage="transcribe",
    progress=100,
    audio_url="/x.wav",
    audio_storage_path=None,
    duration_seconds=4000.0,
    error_message=None,
    processed_by="host:1",
    language="en",
    options={},
    source_sha256=None,
    user_id=None,
    created_at=NOW,
    updated_at=NOW,
)
SEGMENTS = [
    Segment(
        start=1.25,
        end=3.5,
        text="Hello there.",
        confidence=0.9,
        words=[Word(word="Hello", start=1.25, end=1.8, probability=0.99)],
    ),
    Segment(start=3661.001, end=3662.0, text="Bye.", speaker_label="SPEAKER_01"),
]


def test_clock() -> None:
    assert exports.clock(3661.5) == "01:01:01"
    assert exports.clock(3661.5, millis_separator=",") == "01:01:01,500"
    assert exports.clock(59.9996, millis_separator=".") == "00:01:00.000"


def test_txt() -> None:
    assert exports.render(MEETING, SEGMENTS, "txt") == (
        "[00:00:01] Hello there.\n[01:01:01] SPEAKER_01: Bye.\n"
    )


def test_srt() -> None:
    assert exports.render(MEETING, SEGMENTS, "srt") == (
        "1\n00:00:01,250 --> 00:00:03,500\nHello there.\n\n"
        "2\n01:01:01,001 --> 01:01:02,000\nSPEAKER_01: Bye.\n"
    )


def test_vtt() -> None:
    assert exports.render(MEETING, SEGMENTS, "vtt") == (
        "WEBVTT\n\n00:00:01.250 --> 00:00:03.500\nHello there.\n\n"
        "01:01:01.001 --> 01:01:02.000\nSPEAKER_01: Bye.\n"
    )


def test_json_carries_segments_and_words() -> None:
    document = json.loads(exports.render(MEETING, SEGMENTS, "json"))
    assert document["id"] == str(MEETING.id)
    assert document["segments"][0]["words"][0] == {
        "word": "Hello",
        "start": 1.25,
        "end": 1.8,
        "probability": 0.99,
    }
    assert [s["speaker_label"] for s in document["segments"]] == [None, "SPEAKER_01"]
    assert set(document["segments"][0]) >= {"start", "end", "text", "speaker_label", "words"}


@pytest.mark.parametrize("fmt", exports.FORMATS)
def test_empty_transcript_renders(fmt: exports.Format) -> None:
    assert isinstance(exports.render(MEETING, [], fmt), str)
