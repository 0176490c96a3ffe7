"""The transcript as the pipeline, the store and the exports all see it."""

from __future__ import annotations

from uuid import UUID

from pydantic import BaseModel, Field


class Word(BaseModel):
    word: str
    start: float
    end: float
    probability: float | None = Field(None, description="None when the recognizer gives none")
    speaker_label: str | None = None


class Segment(BaseModel):
    start: float
    end: float
    text: str
    confidence: float | None = Field(None, description="exp(mean token log-probability)")
    no_speech_prob: float | None = Field(None, description="Whisper's probability of no speech")
    compression_ratio: float | None = Field(
        None, description="gzip ratio of the text; high means a repetition loop"
    )
    speaker_label: str | None = Field(None, description="The meeting's voice: SPEAKER_00, ...")
    speaker_id: UUID | None = Field(None, description="The enrolled speaker it was matched to")
    speaker_name: str | None = Field(None, description="That speaker's name, when known")
    words: list[Word] = Field(default_factory=list)

    @property
    def speaker(self) -> str | None:
        """What to show: the name when the voice is known, else its label."""
        return self.speaker_name or self.speaker_label


class Transcript(BaseModel):
    language: str
    language_probability: float
    segments: list[Segment]


def clock(seconds: float, *, millis_separator: str | None = None) -> str:
    """`HH:MM:SS`, or with milliseconds after `millis_separator` (`,` for srt, `.` for vtt)."""
    total_ms = round(seconds * 1000)
    hours, rest = divmod(total_ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    text = f"{hours:02d}:{minutes:02d}:{secs:02d}"
    return text if millis_separator is None else f"{text}{millis_separator}{millis:03d}"


def clamp(seconds: float, duration: float) -> float:
    """A time from a recognizer, inside the audio it heard, to the millisecond."""
    return round(min(max(seconds, 0.0), duration), 3)
