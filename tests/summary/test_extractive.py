from __future__ import annotations

from minutes.summary.extractive import TextEncoder, summarize
from minutes.summary.model import Sentence

MEETING = [
    ("Ana", "Good morning, thanks for joining the planning call today."),
    ("Bo", "The mobile release is late because the payment provider changed their interface."),
    ("Ana", "How much extra work does the payment change mean for the mobile team?"),
    ("Bo", "About two weeks of work on payments before the release can go out."),
    ("Ana", "Then we will go with a release date at the end of next month."),
    ("Bo", "I will tell the support team about the new release date by Friday."),
    ("Ana", "The office plants need watering while the facilities manager is away."),
    ("Bo", "Thanks, see you next week."),
]


def sentences() -> list[Sentence]:
    return [
        Sentence(text=t, start=i * 6.0, end=i * 6.0 + 5, speaker=w)
        for i, (w, t) in enumerate(MEETING)
    ]


def test_the_summary_carries_the_decision_and_the_commitment() -> None:
    summary = summarize(sentences(), TextEncoder.load())
    assert "we will go with a release date" in summary.summary
    assert "I will tell the support team" in summary.summary
    assert "plants" not in summary.summary
    assert [a.owner for a in summary.action_items] == ["Bo"]
    assert summary.decisions[0].speaker == "Ana"
    assert summary.model_used == "extractive:all-MiniLM-L6-v2"
    assert summary.topics and all(isinstance(t, str) for t in summary.topics)
    assert summary.sentiment in ("positive", "neutral", "negative")


def test_key_points_are_in_spoken_order_and_not_filler() -> None:
    summary = summarize(sentences(), TextEncoder.load())
    starts = [k.start for k in summary.key_points]
    assert starts == sorted(starts)
    assert all("see you next week" not in k.text for k in summary.key_points)


def test_sentiment_follows_the_words() -> None:
    happy = [Sentence(text="This is wonderful, great work, I love the results.", start=0, end=2)]
    angry = [Sentence(text="This is terrible, a horrible failure and I hate it.", start=0, end=2)]
    assert summarize(happy, TextEncoder.load()).sentiment == "positive"
    assert summarize(angry, TextEncoder.load()).sentiment == "negative"


def test_an_empty_meeting_summarizes_to_nothing() -> None:
    summary = summarize([], TextEncoder.load())
    assert (summary.summary, summary.key_points, summary.action_items) == ("", [], [])
