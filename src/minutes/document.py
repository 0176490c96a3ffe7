"""The meeting as one markdown document: what was decided and who does what, then the record.

Rendered when asked for, so a speaker named after the meeting shows with their name.
"""

from __future__ import annotations

from collections import defaultdict

from minutes.db.meetings import Meeting
from minutes.summary.model import MeetingSummary
from minutes.transcript import Segment, clock


def _at(seconds: float) -> str:
    """A timestamp that links to that moment of the recording."""
    return f"[{clock(seconds)}](#t={seconds:.1f})"


def _cell(text: str | None) -> str:
    return (text or "").replace("|", "\\|").replace("\n", " ")


def render_document(
    meeting: Meeting, segments: list[Segment], summary: MeetingSummary | None
) -> str:
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
    if summary is not None:
        lines += ["## Summary", "", summary.summary or "_Nothing to summarize._", ""]
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
        ]
        lines += [f"Written by: {summary.model_used}", ""]
    lines += ["## Transcript", ""]
    for segment in segments:
        who = f" {segment.speaker}:" if segment.speaker else ""
        lines += [f"**{_at(segment.start)}{who}** {segment.text}", ""]
    return "\n".join(lines).rstrip("\n") + "\n"
