"""Who spoke when, measured on recordings with known turns, through the real queue."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any
from uuid import UUID

import psycopg
import pytest

from minutes.config import Settings
from minutes.db import open_pool
from minutes.db.documents import get_document
from minutes.db.meetings import create_meeting, get_meeting, get_segments, list_events
from minutes.db.speakers import list_profiles, meeting_voices, name_voice
from minutes.evaluation import diarization_error_rate
from minutes.pipeline.reprocess import reprocess
from minutes.speakers.enrolment import enrol
from minutes.transcript import Segment
from tests.conftest import segment_counts, work_until_finished
from tests.speech import THREE_VOICES, TWO_VOICES, SpokenTurn, Turn, dialogue

Conn = psycopg.Connection[dict[str, Any]]
Recording = tuple[Path, list[SpokenTurn]]


@pytest.fixture(scope="session")
def two_voices(speech_dir: Path) -> Recording:
    path = speech_dir / "two-voices.wav"
    return path, dialogue(TWO_VOICES, path, gap=0.4)


@pytest.fixture(scope="session")
def three_voices(speech_dir: Path) -> Recording:
    path = speech_dir / "three-voices.wav"
    return path, dialogue(THREE_VOICES, path, gap=0.4)


def process(settings: Settings, db: Conn, path: Path, **options: object) -> UUID:
    meeting = create_meeting(db, audio_url=str(path), title=path.name, options=dict(options))
    work_until_finished(settings, meeting.id)
    finished = get_meeting(db, meeting.id)
    assert finished is not None and finished.status == "completed", finished
    return meeting.id


def der(spoken: list[SpokenTurn], segments: list[Segment]) -> float:
    reference = [(turn.speaker, turn.start, turn.end) for turn in spoken]
    hypothesis = [(s.speaker_label or "?", s.start, s.end) for s in segments]
    return diarization_error_rate(reference, hypothesis, collar=0.25)


def seconds_by_voice(
    spoken: list[SpokenTurn], segments: list[Segment]
) -> dict[str, dict[str, float]]:
    """For each real speaker, how many seconds each label or name got."""
    heard: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for segment in segments:
        for turn in spoken:
            overlap = min(segment.end, turn.end) - max(segment.start, turn.start)
            if overlap > 0:
                heard[turn.speaker][segment.speaker or "?"] += overlap
    return heard


def test_two_voices_are_told_apart(settings: Settings, db: Conn, two_voices: Recording) -> None:
    meeting_id = process(settings, db, two_voices[0])
    segments = get_segments(db, meeting_id)
    assert {s.speaker_label for s in segments} == {"SPEAKER_00", "SPEAKER_01"}
    assert all(w.speaker_label == s.speaker_label for s in segments for w in s.words)
    assert der(two_voices[1], segments) < 0.10
    assert [v["label"] for v in meeting_voices(db, meeting_id)] == ["SPEAKER_00", "SPEAKER_01"]


def test_three_voices_are_told_apart(settings: Settings, db: Conn, three_voices: Recording) -> None:
    meeting_id = process(settings, db, three_voices[0])
    segments = get_segments(db, meeting_id)
    assert len({s.speaker_label for s in segments}) == 3
    assert der(three_voices[1], segments) < 0.20


def test_an_enrolled_voice_is_named_and_another_is_not(
    settings: Settings, db: Conn, two_voices: Recording, speech_dir: Path
) -> None:
    sample = speech_dir / "ana-alone.wav"
    dialogue(
        [
            Turn("en+f3", "Hello, my name is Ana and I look after recruiting and onboarding."),
            Turn("en+f3", "This short recording is only here so the system learns my voice."),
        ],
        sample,
    )
    with open_pool(settings.database_url) as pool, pool.connection() as conn:
        enrol(conn, settings, "Ana Ruiz", [sample])

    meeting_id = process(settings, db, two_voices[0])
    heard = seconds_by_voice(two_voices[1], get_segments(db, meeting_id))
    ana, other = heard["en+f3@50"], heard["en-us@50"]
    assert max(ana, key=ana.__getitem__) == "Ana Ruiz"
    assert "Ana Ruiz" not in other or other["Ana Ruiz"] < 0.1 * sum(other.values())
    voices = {v["label"]: v for v in meeting_voices(db, meeting_id)}
    named = [v for v in voices.values() if v["name"] == "Ana Ruiz"]
    assert len(named) == 1 and named[0]["similarity"] is not None
    assert [v["name"] for v in voices.values() if v is not named[0]] == [None]


def test_naming_a_voice_relabels_the_meeting_and_later_ones(
    settings: Settings, db: Conn, two_voices: Recording, english_speech: tuple[Path, str]
) -> None:
    first = process(settings, db, two_voices[0])
    with db.transaction():
        speaker_id = name_voice(db, first, "SPEAKER_00", "Bo Chen")  # the male voice opens
    relabelled = get_segments(db, first)
    assert {s.speaker_name for s in relabelled if s.speaker_label == "SPEAKER_00"} == {"Bo Chen"}
    assert {s.speaker_id for s in relabelled if s.speaker_label == "SPEAKER_00"} == {speaker_id}
    assert {s.speaker_name for s in relabelled if s.speaker_label == "SPEAKER_01"} == {None}
    assert "Bo Chen:**" in (get_document(db, first) or "")  # the stored document follows
    (profile,) = list_profiles(db)
    assert profile.name == "Bo Chen" and profile.meetings == 1 and profile.audio_samples > 1

    later = process(settings, db, english_speech[0])  # the same male voice, alone
    assert {s.speaker for s in get_segments(db, later)} == {"Bo Chen"}


def test_rerunning_diarize_replaces_the_labels(
    settings: Settings, db: Conn, two_voices: Recording
) -> None:
    meeting_id = process(settings, db, two_voices[0])
    before = get_segments(db, meeting_id)

    def rediarize(**options: object) -> list[Segment]:
        reprocess(db, meeting_id, "diarize", options)
        work_until_finished(settings, meeting_id)
        return get_segments(db, meeting_id)

    merged = rediarize(num_speakers=1)
    assert {s.speaker_label for s in merged} == {"SPEAKER_00"}
    again = rediarize(num_speakers=None)
    assert {s.speaker_label for s in again} == {"SPEAKER_00", "SPEAKER_01"}
    assert [w.word for s in again for w in s.words] == [w.word for s in before for w in s.words]
    counts = segment_counts(db, meeting_id)
    assert counts["n"] == counts["distinct_index"] == len(again)
    assert len(meeting_voices(db, meeting_id)) == 2
    kinds = [(e["kind"], e["stage"]) for e in list_events(db, meeting_id)]
    assert kinds.count(("stage.completed", "transcribe")) == 1  # ASR ran once
    assert kinds.count(("stage.completed", "diarize")) == 3


def test_one_voice_is_one_speaker(
    settings: Settings, db: Conn, english_speech: tuple[Path, str]
) -> None:
    meeting_id = process(settings, db, english_speech[0])
    assert {s.speaker_label for s in get_segments(db, meeting_id)} == {"SPEAKER_00"}
