from __future__ import annotations

import json
from datetime import UTC, datetime
from uuid import uuid4

import pytest

from minutes import exports
from minutes.db.meetings import Meeting
from minutes.record import MeetingRecord
from minutes.transcript import Segment, Word, clock

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
NAMED = [
    Segment(
        start=62.0,
        end=64.0,
        text="I will send it by Friday.",
        speaker_label="SPEAKER_00",
        speaker_id=uuid4(),
        speaker_name="Ana Ruiz",
        words=[Word(word="I", start=62.0, end=62.2, probability=0.9, speaker_label="SPEAKER_00")],
    )
]


def test_clock() -> None:
    assert clock(3661.5) == "01:01:01"
    assert clock(3661.5, millis_separator=",") == "01:01:01,500"
    assert clock(59.9996, millis_separator=".") == "00:01:00.000"


def test_txt() -> None:
    assert exports.render(MeetingRecord(MEETING, SEGMENTS), "txt") == (
        "[00:00:01] Hello there.\n[01:01:01] SPEAKER_01: Bye.\n"
    )


def test_srt() -> None:
    assert exports.render(MeetingRecord(MEETING, SEGMENTS), "srt") == (
        "1\n00:00:01,250 --> 00:00:03,500\nHello there.\n\n"
        "2\n01:01:01,001 --> 01:01:02,000\nSPEAKER_01: Bye.\n"
    )


def test_vtt() -> None:
    assert exports.render(MeetingRecord(MEETING, SEGMENTS), "vtt") == (
        "WEBVTT\n\n00:00:01.250 --> 00:00:03.500\nHello there.\n\n"
        "01:01:01.001 --> 01:01:02.000\n<v SPEAKER_01>Bye.\n"
    )


def test_known_speakers_are_shown_by_name() -> None:
    assert (
        exports.render(MeetingRecord(MEETING, NAMED), "txt")
        == "[00:01:02] Ana Ruiz: I will send it by Friday.\n"
    )
    assert exports.render(MeetingRecord(MEETING, NAMED), "srt").endswith(
        "Ana Ruiz: I will send it by Friday.\n"
    )
    assert "<v Ana Ruiz>I will send it by Friday." in exports.render(
        MeetingRecord(MEETING, NAMED), "vtt"
    )
    assert exports.render(MeetingRecord(MEETING, NAMED), "md").endswith(
        "## Transcript\n\n**[00:01:02](#t=62.0) Ana Ruiz:** I will send it by Friday.\n"
    )
    segment = json.loads(exports.render(MeetingRecord(MEETING, NAMED), "json"))["segments"][0]
    assert (segment["speaker"], segment["speaker_label"]) == ("Ana Ruiz", "SPEAKER_00")
    assert segment["speaker_id"] == str(NAMED[0].speaker_id)
    assert segment["words"][0]["speaker"] == "Ana Ruiz"
    assert segment["words"][0]["speaker_label"] == "SPEAKER_00"


def test_vtt_voice_names_are_escaped() -> None:
    odd = [NAMED[0].model_copy(update={"speaker_name": "R&D <lead>"})]
    assert "<v R&amp;D &lt;lead&gt;>" in exports.render(MeetingRecord(MEETING, odd), "vtt")


def test_json_carries_segments_and_words() -> None:
    document = json.loads(exports.render(MeetingRecord(MEETING, SEGMENTS), "json"))
    assert document["id"] == str(MEETING.id)
    assert document["segments"][0]["words"][0] == {
        "word": "Hello",
        "start": 1.25,
        "end": 1.8,
        "probability": 0.99,
        "speaker_label": None,
        "speaker": None,
    }
    assert [s["speaker_label"] for s in document["segments"]] == [None, "SPEAKER_01"]
    assert set(document["segments"][0]) >= {"start", "end", "text", "speaker_label", "words"}


@pytest.mark.parametrize("fmt", exports.FORMATS)
def test_empty_transcript_renders(fmt: exports.Format) -> None:
    assert isinstance(exports.render(MeetingRecord(MEETING, []), fmt), str)
