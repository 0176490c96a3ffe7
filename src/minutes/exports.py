"""Render a meeting as txt, json, srt, vtt or the markdown document."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Literal

from minutes.document import render_document
from minutes.record import MeetingRecord
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


def to_txt(record: MeetingRecord) -> str:
    return "".join(f"[{clock(s.start)}] {_line(s)}\n" for s in record.segments)


def _cues(segments: list[Segment], separator: str, line: Callable[[Segment], str]) -> list[str]:
    return [
        f"{clock(s.start, millis_separator=separator)} --> "
        f"{clock(s.end, millis_separator=separator)}\n{line(s)}\n"
        for s in segments
    ]


def srt(segments: list[Segment]) -> str:
    cues = _cues(segments, ",", _line)
    return "\n".join(f"{i}\n{cue}" for i, cue in enumerate(cues, 1))


def vtt(segments: list[Segment]) -> str:
    return "WEBVTT\n\n" + "\n".join(_cues(segments, ".", _vtt_line))


def to_srt(record: MeetingRecord) -> str:
    return srt(record.segments)


def to_vtt(record: MeetingRecord) -> str:
    return vtt(record.segments)


def to_json(record: MeetingRecord) -> str:
    """The meeting row, its segments with words, and whatever later stages have found."""
    document = record.meeting.model_dump(mode="json")
    document["segments"] = [_segment_json(segment) for segment in record.segments]
    document["summary"] = record.summary.model_dump(mode="json") if record.summary else None
    document["analysis"] = record.analysis.model_dump(mode="json") if record.analysis else None
    document["sound_events"] = [event.model_dump(mode="json") for event in record.sounds]
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _segment_json(segment: Segment) -> dict[str, object]:
    """The segment with its displayed speaker, on the segment and on each word."""
    data = segment.model_dump(mode="json")
    data["speaker"] = segment.speaker
    for word in data["words"]:
        word["speaker"] = segment.speaker
    return data


RENDERERS: dict[Format, Callable[[MeetingRecord], str]] = {
    "txt": to_txt,
    "json": to_json,
    "srt": to_srt,
    "vtt": to_vtt,
    "md": render_document,
}


def render(record: MeetingRecord, fmt: Format) -> str:
    return RENDERERS[fmt](record)
