"""The mood and sound summary in the shape existing front ends read (the seed's fields).

Those front ends expect one object per meeting: `mood`, `emotion`, `energy_level`,
`confidence`, `sound_classification`, `yamnet_confidence`, `emotion_confidence`. minutes
has no speech-emotion model, so each field is filled from what is really measured, and
the field descriptions say what that is.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Literal

from pydantic import BaseModel, Field

from minutes.analysis.model import MeetingAnalysis, Mood, SoundEvent
from minutes.analysis.mood import arousal_band

EnergyLevel = Literal["low", "medium", "high"]
ENERGY_LEVELS: tuple[EnergyLevel, ...] = ("low", "medium", "high")
"""By the mood estimate's arousal band."""
Emotion = Literal["excited", "happy", "calm", "neutral", "sad", "angry"]
EMOTIONS: dict[Mood, Emotion] = {
    "enthusiastic": "excited",
    "positive": "happy",
    "calm": "calm",
    "animated": "neutral",
    "neutral": "neutral",
    "subdued": "neutral",
    "tense": "angry",
    "negative": "sad",
    "downbeat": "sad",
}
"""The nearest of the common emotion words for each mood quadrant."""


class SeedMood(BaseModel):
    mood: Mood = Field(
        description="minutes' mood estimate: the quadrant of liveliness (speaking rate, pitch "
        "and loudness variation) against text sentiment"
    )
    emotion: Emotion = Field(
        description="The nearest common emotion word for that quadrant (tense -> angry, "
        "negative/downbeat -> sad, ...); not from an emotion classifier"
    )
    energy_level: EnergyLevel = Field(
        description="The liveliness (arousal) band the mood estimate used"
    )
    confidence: float = Field(description="The mood estimate's distance from its borders, 0-1")
    emotion_confidence: float = Field(
        description="The same value as `confidence`: the emotion word is derived from the mood"
    )
    sound_classification: str | None = Field(
        description="The YAMNet label covering the most time, silence left out ('Speech' "
        "for most meetings); None when nothing was labelled"
    )
    yamnet_confidence: float | None = Field(
        description="YAMNet's mean probability for that label, weighted by duration"
    )


def seed_mood(analysis: MeetingAnalysis, sounds: list[SoundEvent]) -> SeedMood:
    estimate = analysis.mood
    seconds: dict[str, float] = defaultdict(float)
    weighted: dict[str, float] = defaultdict(float)
    for event in sounds:
        if event.label != "Silence":
            seconds[event.label] += event.end - event.start
            weighted[event.label] += event.score * (event.end - event.start)
    label = max(seconds, key=lambda name: seconds[name], default=None)
    return SeedMood(
        mood=estimate.mood,
        emotion=EMOTIONS[estimate.mood],
        energy_level=ENERGY_LEVELS[arousal_band(estimate.arousal)[0]],
        confidence=estimate.confidence,
        emotion_confidence=estimate.confidence,
        sound_classification=label,
        yamnet_confidence=round(weighted[label] / seconds[label], 3)
        if label and seconds[label]
        else None,
    )
