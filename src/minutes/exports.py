"""Render a meeting's transcript as txt, json, srt or vtt."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Literal

from minutes.db.meetings import Meeting
from minutes.document import render_document
from minutes.summary.model import MeetingSummary
from minutes.transcript import Segment, clock

Format = Literal["txt", "json", "srt", "vtt", "md"]
FORMATS: tuple[Format, ...] = ("txt", "json", "srt", "vtt", "md")


def _line(segment: Segment) -> str:
    return f"{segment.speaker}: {segment.text}" if segment.speaker else segment.text


def _vtt_line(segment: Segment) -> str:
    """WebVTT names the speaker with a voice tag, which players can style."""
    if not segment.speaker:
        return segment.text
    name = segment.speaker.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f"<v {name}>{segment.text}"


def to_txt(meeting: Meeting, segments: list[Segment]) -> str:
    return "".join(f"[{clock(s.start)}] {_line(s)}\n" for s in segments)


def _cues(segments: list[Segment], separator: str, line: Callable[[Segment], str]) -> list[str]:
    return [
        f"{clock(s.start, millis_separator=separator)} --> "
        f"{clock(s.end, millis_separator=separator)}\n{line(s)}\n"
        for s in segments
    ]


def to_srt(meeting: Meeting, segments: list[Segment]) -> str:
    return "\n".join(f"{i}\n{cue}" for i, cue in enumerate(_cues(segments, ",", _line), 1))


def to_vtt(meeting: Meeting, segments: list[Segment]) -> str:
    return "WEBVTT\n\n" + "\n".join(_cues(segments, ".", _vtt_line))


def to_json(meeting: Meeting, segments: list[Segment]) -> str:
    document = meeting.model_dump(mode="json")
    document["segments"] = [_segment_json(segment) for segment in segments]
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _segment_json(segment: Segment) -> dict[str, object]:
    """The segment with its displayed speaker, on the segment and on each word."""
    data = segment.model_dump(mode="json")
    data["speaker"] = segment.speaker
    for word in data["words"]:
        word["speaker"] = segment.speaker
    return data


RENDERERS: dict[str, Callable[[Meeting, list[Segment]], str]] = {
    "txt": to_txt,
    "json": to_json,
    "srt": to_srt,
    "vtt": to_vtt,
}


def render(
    meeting: Meeting,
    segments: list[Segment],
    fmt: Format,
    summary: MeetingSummary | None = None,
) -> str:
    """The meeting in `fmt`; markdown is the whole document, with the summary when given."""
    if fmt == "md":
        return render_document(meeting, segments, summary)
    return RENDERERS[fmt](meeting, segments)
