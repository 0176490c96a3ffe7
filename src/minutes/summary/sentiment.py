"""How positive the words are: VADER's compound score (-1 to 1), the one sentiment measure."""

from __future__ import annotations

from functools import cache
from typing import Any, Literal

POSITIVE, NEGATIVE = 0.05, -0.05
"""VADER's usual cut-offs for a positive or negative compound score."""

Sentiment = Literal["positive", "neutral", "negative"]


@cache
def _analyzer() -> Any:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def compound(text: str) -> float:
    return float(_analyzer().polarity_scores(text)["compound"])


def mean_compound(texts: list[str]) -> float:
    return sum(map(compound, texts)) / len(texts) if texts else 0.0


def sentiment_label(score: float) -> Sentiment:
    if score >= POSITIVE:
        return "positive"
    return "negative" if score <= NEGATIVE else "neutral"
