"""Everything known about one meeting, as the exports and the document render it."""

from __future__ import annotations

from dataclasses import dataclass, field

from minutes.analysis.model import MeetingAnalysis, SoundEvent
from minutes.db.meetings import Meeting
from minutes.summary.model import MeetingSummary
from minutes.transcript import Segment


@dataclass(frozen=True)
class MeetingRecord:
    meeting: Meeting
    segments: list[Segment]
    summary: MeetingSummary | None = None
    analysis: MeetingAnalysis | None = None
    sounds: list[SoundEvent] = field(default_factory=list)
    """Non-speech sound events, in time order."""
