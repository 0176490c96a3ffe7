"""What a summary holds, whichever backend wrote it."""

from __future__ import annotations

from pydantic import BaseModel, Field

from minutes.summary.sentiment import Sentiment


class Sentence(BaseModel):
    """One sentence of the transcript, with who said it and when."""

    text: str
    start: float
    end: float
    speaker: str | None = None


class ActionItem(BaseModel):
    text: str
    owner: str | None = Field(None, description="Who took it on, when the transcript says so")
    due: str | None = Field(None, description="The deadline as said ('by Friday'); never guessed")
    start: float = Field(description="When it was said, in seconds")
    speaker: str | None = Field(None, description="Who said it")


class KeyPoint(BaseModel):
    text: str
    start: float
    speaker: str | None = None


class MeetingSummary(BaseModel):
    summary: str
    key_points: list[KeyPoint]
    decisions: list[KeyPoint]
    action_items: list[ActionItem]
    topics: list[str]
    sentiment: Sentiment
    sentiment_score: float = Field(description="Mean VADER compound score, -1 to 1")
    model_used: str
