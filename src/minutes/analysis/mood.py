"""A mood estimate from two measured axes: how lively the voices are and how positive the words.

There is no speech-emotion model here: `arousal` is the mean of speaking rate, pitch
variation and loudness variation, each scaled 0-1 between a flat and a lively reference;
`valence` is the text's VADER sentiment. The label names the quadrant they fall in.
"""

from __future__ import annotations

import numpy as np

from minutes.analysis.model import Mood, MoodEstimate, VoiceStats
from minutes.summary.sentiment import NEGATIVE, POSITIVE

LIVELINESS_REFERENCES = {
    "words_per_minute": (110.0, 190.0),
    "pitch_variation_semitones": (1.5, 5.0),
    "loudness_variation_db": (4.0, 12.0),
}
"""(flat, lively) reference for each arousal feature."""
LOW_AROUSAL, HIGH_AROUSAL = 0.35, 0.65
MOODS: dict[tuple[int, int], Mood] = {
    (2, 1): "enthusiastic",
    (1, 1): "positive",
    (0, 1): "calm",
    (2, 0): "animated",
    (1, 0): "neutral",
    (0, 0): "subdued",
    (2, -1): "tense",
    (1, -1): "negative",
    (0, -1): "downbeat",
}


def arousal(stats: VoiceStats) -> float:
    scaled = [
        float(np.clip((value - flat) / (lively - flat), 0.0, 1.0))
        for name, (flat, lively) in LIVELINESS_REFERENCES.items()
        if (value := getattr(stats, name)) is not None
    ]
    return round(float(np.mean(scaled)), 3) if scaled else 0.5


def _band(value: float, low: float, high: float, scale: float) -> tuple[int, float]:
    """The band (0 below `low`, 1 between, 2 above `high`) and the margin to its nearest border."""
    band = 0 if value < low else 2 if value > high else 1
    margin = min(abs(value - low), abs(value - high)) / scale
    return band, min(margin, 1.0)


def arousal_band(lively: float) -> tuple[int, float]:
    """0 (flat), 1 or 2 (lively), and the margin to the nearest border."""
    return _band(lively, LOW_AROUSAL, HIGH_AROUSAL, 0.3)


def estimate_mood(stats: VoiceStats) -> MoodEstimate:
    lively = arousal(stats)
    valence = stats.text_sentiment
    liveliness, arousal_margin = arousal_band(lively)
    valence_band, valence_margin = _band(valence, NEGATIVE, POSITIVE, 0.3)
    return MoodEstimate(
        mood=MOODS[(liveliness, valence_band - 1)],
        arousal=lively,
        valence=valence,
        confidence=round(min(arousal_margin, valence_margin), 2),
    )
