"""The mood label follows the two measured axes, and says how sure it is."""

from __future__ import annotations

from minutes.analysis.model import VoiceStats
from minutes.analysis.mood import arousal, estimate_mood


def stats(
    wpm: float | None, pitch: float | None, loudness: float | None, sentiment: float
) -> VoiceStats:
    return VoiceStats(
        talk_seconds=60,
        talk_share=1,
        words=int(wpm or 0),
        words_per_minute=wpm,
        loudness_db=-20,
        loudness_variation_db=loudness,
        pitch_hz=150,
        pitch_variation_semitones=pitch,
        text_sentiment=sentiment,
    )


def test_lively_and_positive_is_enthusiastic() -> None:
    mood = estimate_mood(stats(200, 6, 13, 0.6))
    assert (mood.mood, mood.arousal, mood.confidence) == ("enthusiastic", 1.0, 1.0)


def test_flat_and_negative_is_downbeat() -> None:
    mood = estimate_mood(stats(100, 1, 3, -0.5))
    assert mood.mood == "downbeat" and mood.arousal == 0.0


def test_middling_voices_and_neutral_words_are_neutral_with_low_confidence_near_a_border() -> None:
    mood = estimate_mood(stats(150, 3.25, 8, 0.04))
    assert mood.mood == "neutral" and mood.arousal == 0.5
    assert mood.confidence < 0.1  # the words sit next to the positive border


def test_missing_measurements_are_left_out_of_arousal() -> None:
    assert arousal(stats(190, None, None, 0)) == 1.0
    assert arousal(stats(None, None, None, 0)) == 0.5
