"""The analyze stage on a recording with two voices and a telephone-like tone between them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import psycopg

from minutes import exports
from minutes.config import Settings
from minutes.db.analysis import get_analysis, get_sound_events
from minutes.db.documents import get_document, load_record
from minutes.db.meetings import create_meeting, get_meeting
from tests.conftest import work_until_finished
from tests.speech import ESPEAK_RATE, TWO_VOICES, speak, write_wav

Conn = psycopg.Connection[dict[str, Any]]
TONE_SECONDS = 3.0


def test_sounds_voices_and_mood_are_stored_and_shown(
    settings: Settings, db: Conn, tmp_path: Path
) -> None:
    first, second = (speak(turn.text, turn.voice, pitch=turn.pitch) for turn in TWO_VOICES[:2])
    t = np.arange(int(TONE_SECONDS * ESPEAK_RATE)) / ESPEAK_RATE
    tone = (8000 * np.sin(2 * np.pi * 440 * t)).astype(np.int16)
    pause = np.zeros(ESPEAK_RATE // 2, dtype=np.int16)
    path = tmp_path / "call.wav"
    write_wav(path, np.concatenate([first, pause, tone, pause, second]))
    tone_start = (len(first) + len(pause)) / ESPEAK_RATE

    meeting = create_meeting(db, audio_url=str(path), title="Call", options={})
    work_until_finished(settings, meeting.id)
    finished = get_meeting(db, meeting.id)
    assert finished is not None and finished.status == "completed", finished

    events = get_sound_events(db, meeting.id)
    assert events[0].label == "Speech" and events[-1].label == "Speech"
    sounds = [e for e in events if not e.is_speech and e.label != "Silence"]
    assert sounds, events
    assert abs(sounds[0].start - tone_start) < 1.0
    assert abs(sounds[-1].end - (tone_start + TONE_SECONDS)) < 1.0

    analysis = get_analysis(db, meeting.id)
    assert analysis is not None
    assert len(analysis.speakers) == 2
    assert abs(sum(v.talk_share for v in analysis.speakers) - 1) < 0.01
    assert all(v.words_per_minute and v.pitch_hz for v in analysis.speakers)
    assert analysis.mood.mood and 0 <= analysis.mood.arousal <= 1
    assert sounds[0].label in analysis.sound_seconds

    document = get_document(db, meeting.id)
    assert document is not None and "## Voices and sounds" in document
    assert f"{sounds[0].label} (" in document and "**Mood estimate:**" in document
    record = load_record(db, meeting.id)
    assert record is not None
    exported = json.loads(exports.render(record, "json"))
    assert exported["analysis"]["mood"]["mood"] == analysis.mood.mood
    assert {e["label"] for e in exported["sound_events"]} >= {sounds[0].label}
