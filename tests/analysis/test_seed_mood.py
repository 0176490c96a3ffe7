"""The seed-shaped mood summary is filled from the measured estimate and the sound events."""

from __future__ import annotations

from minutes.analysis.model import MeetingAnalysis, SoundEvent
from minutes.analysis.mood import estimate_mood
from minutes.analysis.seed_mood import SeedMood, seed_mood
from tests.analysis.test_mood import stats


def analysed(wpm: float, pitch: float, loudness: float, sentiment: float) -> MeetingAnalysis:
    whole = stats(wpm, pitch, loudness, sentiment)
    return MeetingAnalysis(
        meeting=whole,
        speakers=[whole],
        mood=estimate_mood(whole),
        sound_seconds={},
        model_used="test",
    )


def test_a_lively_positive_meeting_mostly_speech() -> None:
    sounds = [
        SoundEvent(label="Silence", start=0, end=30, score=1.0),
        SoundEvent(label="Speech", start=30, end=40, score=0.9),
        SoundEvent(label="Music", start=40, end=45, score=0.6),
        SoundEvent(label="Speech", start=45, end=55, score=0.7),
    ]
    assert seed_mood(analysed(200, 6, 13, 0.6), sounds) == SeedMood(
        mood="enthusiastic",
        emotion="excited",
        energy_level="high",
        confidence=1.0,
        emotion_confidence=1.0,
        sound_classification="Speech",  # 20 s beats 5 s of music; 30 s of silence do not count
        yamnet_confidence=0.8,
    )


def test_a_flat_negative_meeting_with_nothing_labelled() -> None:
    summary = seed_mood(analysed(100, 1, 3, -0.5), [])
    assert (summary.mood, summary.emotion, summary.energy_level) == ("downbeat", "sad", "low")
    assert summary.sound_classification is None and summary.yamnet_confidence is None
    assert set(summary.model_dump()) == {
        "mood",
        "emotion",
        "energy_level",
        "confidence",
        "sound_classification",
        "yamnet_confidence",
        "emotion_confidence",
    }
