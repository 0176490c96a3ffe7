from __future__ import annotations

from typing import Any
from uuid import UUID

import numpy as np
import psycopg
import pytest

from minutes.db.meetings import create_meeting, get_segments, replace_segments
from minutes.db.speakers import (
    MATCH_THRESHOLD,
    MeetingVoice,
    UnknownVoice,
    add_confirmed_audio,
    delete_profile,
    find_profile,
    list_profiles,
    match_voices,
    merge_profiles,
    name_voice,
    save_meeting_voices,
)
from minutes.transcript import Segment

Conn = psycopg.Connection[dict[str, Any]]


def unit(*values: float) -> np.ndarray:
    vector = np.zeros(256, dtype=np.float32)
    vector[: len(values)] = values
    return vector / np.linalg.norm(vector)


def meeting_with_voices(db: Conn, *voices: MeetingVoice) -> UUID:
    meeting = create_meeting(db, audio_url="/x.wav", title="x", options={})
    replace_segments(
        db,
        meeting.id,
        [
            Segment(start=i, end=i + 1, text=f"line {i}", speaker_label=voice.label)
            for i, voice in enumerate(voices)
        ],
    )
    save_meeting_voices(db, meeting.id, list(voices), match_voices(db, list(voices)))
    return meeting.id


def test_running_mean_of_confirmed_turns(db: Conn) -> None:
    first = add_confirmed_audio(db, "Ana", unit(1, 0), turns=1)
    again = add_confirmed_audio(db, "ana", unit(0, 1), turns=3)  # names match case-blind
    assert first == again
    row = db.execute("SELECT embedding::text AS e, audio_samples FROM speakers").fetchone()
    assert row is not None and row["audio_samples"] == 4
    stored = np.array([float(x) for x in row["e"].strip("[]").split(",")])
    assert np.allclose(stored[:2], unit(1, 3)[:2], atol=1e-5)


def test_matching_needs_the_threshold_and_names_each_profile_once(db: Conn) -> None:
    ana = add_confirmed_audio(db, "Ana", unit(1, 0), turns=1)
    close = MeetingVoice("SPEAKER_00", unit(1, 0.2), turns=3, seconds=9)
    closer_still = MeetingVoice("SPEAKER_01", unit(1, 0.1), turns=3, seconds=9)
    stranger = MeetingVoice("SPEAKER_02", unit(0, 1), turns=3, seconds=9)
    matches = match_voices(db, [close, closer_still, stranger])
    assert set(matches) == {"SPEAKER_01"}
    assert matches["SPEAKER_01"][0] == ana and matches["SPEAKER_01"][1] >= MATCH_THRESHOLD


def test_naming_merging_and_deleting(db: Conn) -> None:
    first = meeting_with_voices(db, MeetingVoice("SPEAKER_00", unit(1, 0), 2, 6.0))
    second = meeting_with_voices(db, MeetingVoice("SPEAKER_00", unit(0, 1), 5, 15.0))
    ana = name_voice(db, first, "SPEAKER_00", "Ana")
    ana_again = name_voice(db, second, "SPEAKER_00", "Ana R.")
    assert {s.speaker_name for s in get_segments(db, first)} == {"Ana"}
    with pytest.raises(UnknownVoice):
        name_voice(db, first, "SPEAKER_09", "Nobody")

    merge_profiles(db, ana, ana_again)
    (profile,) = list_profiles(db)
    assert (profile.name, profile.audio_samples, profile.meetings) == ("Ana", 7, 2)
    assert {s.speaker_name for s in get_segments(db, second)} == {"Ana"}
    assert find_profile(db, "ANA") == ana and find_profile(db, str(ana)) == ana

    delete_profile(db, ana)
    assert list_profiles(db) == []
    assert {(s.speaker_label, s.speaker_name) for s in get_segments(db, first)} == {
        ("SPEAKER_00", None)
    }
