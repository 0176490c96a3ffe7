"""The meeting as one markdown document: what was decided and who does what, then the record.

Rendered when asked for, so a speaker named after the meeting shows with their name.
"""

from __future__ import annotations

from collections import defaultdict

from minutes.analysis.model import MeetingAnalysis, SoundEvent
from minutes.record import MeetingRecord
from minutes.summary.model import MeetingSummary
from minutes.transcript import clock

MAX_SOUND_EVENTS, MIN_SOUND_SECONDS = 20, 1.0
"""The document lists the longest sound events (pauses between words are not news); the
JSON export has them all."""


def _at(seconds: float) -> str:
    """A timestamp that links to that moment of the recording."""
    return f"[{clock(seconds)}](#t={seconds:.1f})"


def _cell(text: str | None) -> str:
    return (text or "").replace("|", "\\|").replace("\n", " ")


def render_document(record: MeetingRecord) -> str:
    meeting, segments = record.meeting, record.segments
    talk: dict[str, float] = defaultdict(float)
    for segment in segments:
        talk[segment.speaker or "unknown"] += segment.end - segment.start
    facts = [f"**Date:** {meeting.created_at:%Y-%m-%d %H:%M} UTC"]
    if meeting.duration_seconds:
        facts.append(f"**Duration:** {clock(meeting.duration_seconds)}")
    if meeting.language:
        facts.append(f"**Language:** {meeting.language}")
    lines = [f"# {meeting.title or 'Meeting'}", "", " · ".join(facts), ""]
    if talk:
        people = ", ".join(
            f"{name} ({clock(seconds)})"
            for name, seconds in sorted(talk.items(), key=lambda kv: -kv[1])
        )
        lines += [f"**Participants:** {people}", ""]
    if record.summary is not None:
        lines += _summary_sections(record.summary)
    if record.analysis is not None:
        lines += _analysis_section(record.analysis, record.sounds)
    lines += ["## Transcript", ""]
    for segment in segments:
        who = f" {segment.speaker}:" if segment.speaker else ""
        lines += [f"**{_at(segment.start)}{who}** {segment.text}", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def _summary_sections(summary: MeetingSummary) -> list[str]:
    lines = ["## Summary", "", summary.summary or "_Nothing to summarize._", ""]
    if summary.key_points:
        lines += ["## Key points", ""]
        lines += [f"- {_at(p.start)} {p.speaker or ''}: {p.text}" for p in summary.key_points]
        lines += [""]
    lines += ["## Decisions", ""]
    lines += [f"- {_at(d.start)} {d.text}" for d in summary.decisions] or ["_None recorded._"]
    lines += ["", "## Action items", ""]
    if summary.action_items:
        lines += ["| # | Action | Owner | Due | Said at |", "|---|---|---|---|---|"]
        lines += [
            f"| {i} | {_cell(a.text)} | {_cell(a.owner)} | {_cell(a.due)} | {_at(a.start)} |"
            for i, a in enumerate(summary.action_items, 1)
        ]
    else:
        lines += ["_None recorded._"]
    lines += ["", "## Topics", ""]
    lines += [f"- {topic}" for topic in summary.topics] or ["_None found._"]
    lines += [
        "",
        f"Mood of the words: {summary.sentiment} ({summary.sentiment_score:+.2f}, VADER)",
        f"Written by: {summary.model_used}",
        "",
    ]
    return lines


def _number(value: float | None, unit: str = "", digits: int = 0) -> str:
    return "" if value is None else f"{value:.{digits}f}{unit}"


def _analysis_section(analysis: MeetingAnalysis, sounds: list[SoundEvent]) -> list[str]:
    mood = analysis.mood
    lines = [
        "## Voices and sounds",
        "",
        f"**Mood estimate:** {mood.mood} (liveliness of the voices {mood.arousal:.2f} of 1,"
        f" sentiment of the words {mood.valence:+.2f}; confidence {mood.confidence:.2f})",
        "",
        "| Speaker | Talk time | Share | Words/min | Loudness | Pitch |",
        "|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {_cell(v.speaker)} | {clock(v.talk_seconds)} | {v.talk_share:.0%}"
        f" | {_number(v.words_per_minute)} | {_number(v.loudness_db, ' dBFS', 1)}"
        f" | {_number(v.pitch_hz, ' Hz')} |"
        for v in analysis.speakers or [analysis.meeting]
    ]
    lines += ["", "**Sounds other than speech:**", ""]
    lasting = [e for e in sounds if e.end - e.start >= MIN_SOUND_SECONDS]
    longest = sorted(lasting, key=lambda e: e.start - e.end)[:MAX_SOUND_EVENTS]
    lines += [
        f"- {_at(e.start)} to {clock(e.end)} {e.label} ({e.score:.2f})"
        for e in sorted(longest, key=lambda e: e.start)
    ] or ["_None detected._"]
    return [*lines, ""]
