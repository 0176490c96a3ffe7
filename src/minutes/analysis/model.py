"""What the analyze stage finds: sound events, how each voice sounds, and the meeting's mood."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class SoundEvent(BaseModel):
    """A stretch of the recording YAMNet gives one label, speech included."""

    label: str = Field(description="AudioSet class name; speech classes are all 'Speech'")
    start: float
    end: float
    score: float = Field(description="YAMNet's mean probability for the label over the stretch")

    @property
    def is_speech(self) -> bool:
        return self.label == "Speech"


class VoiceStats(BaseModel):
    """Measured from the audio and the words of one speaker, or of everyone together."""

    speaker: str | None = Field(None, description="Name or label; None for the whole meeting")
    talk_seconds: float
    talk_share: float = Field(description="Fraction of all talking time, 0 to 1")
    words: int
    words_per_minute: float | None = Field(description="Words over this speaker's talking time")
    loudness_db: float | None = Field(description="RMS level while talking, dB full scale")
    loudness_variation_db: float | None = Field(description="Spread of 50 ms levels, in dB")
    pitch_hz: float | None = Field(description="Median voice pitch (YIN) on voiced frames")
    pitch_variation_semitones: float | None = Field(description="Spread of that pitch")
    text_sentiment: float = Field(description="Mean VADER compound score per sentence, -1 to 1")


Mood = Literal[
    "enthusiastic",
    "positive",
    "calm",
    "animated",
    "neutral",
    "subdued",
    "tense",
    "negative",
    "downbeat",
]


class MoodEstimate(BaseModel):
    """Two measured axes, not an emotion model: how lively the voices are, how positive the words.

    `arousal` (0 to 1) averages speaking rate, pitch variation and loudness variation, each
    scaled between a slow/flat and a fast/lively reference; `valence` is text sentiment.
    """

    mood: Mood
    arousal: float
    valence: float
    confidence: float = Field(description="How far the axes sit from the label's borders, 0 to 1")


class MeetingAnalysis(BaseModel):
    meeting: VoiceStats
    speakers: list[VoiceStats]
    mood: MoodEstimate
    sound_seconds: dict[str, float] = Field(description="Seconds per non-speech sound label")
    model_used: str
