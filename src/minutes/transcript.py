"""The transcript as the pipeline, the store and the exports all see it."""

from __future__ import annotations

from pydantic import BaseModel, Field


class Word(BaseModel):
    word: str
    start: float
    end: float
    probability: float


class Segment(BaseModel):
    start: float
    end: float
    text: str
    confidence: float | None = Field(None, description="exp(mean token log-probability)")
    speaker_label: str | None = None
    words: list[Word] = Field(default_factory=list)


class Transcript(BaseModel):
    language: str
    language_probability: float
    segments: list[Segment]
