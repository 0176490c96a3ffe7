"""Ingest: fetch the recording, check it, and decode it once to 16 kHz mono WAV."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from uuid import UUID

from minutes import audio
from minutes.config import Settings
from minutes.db import Connection
from minutes.db.meetings import Meeting, update_meeting
from minutes.errors import BadInput
from minutes.pipeline.stage import Stage, StageContext
from minutes.sources import fetch_source


@dataclass(frozen=True)
class Ingested:
    duration_seconds: float
    sha256: str


def processed_audio_path(settings: Settings, meeting_id: UUID) -> Path:
    """Where later stages find the meeting's decoded audio."""
    return settings.data_dir / "audio" / f"{meeting_id}.wav"


def ingest(context: StageContext) -> Ingested:
    settings, meeting = context.settings, context.meeting
    if not meeting.source:
        raise BadInput("meeting has neither audio_url nor audio_storage_path")
    fetched = fetch_source(meeting.source, settings)
    context.report_progress(0.2)
    try:
        info = audio.probe(fetched.path)
        if info.duration is not None and info.duration > settings.max_duration_seconds:
            raise audio.AudioError(
                f"recording is {info.duration:.0f} s, over the limit of "
                f"{settings.max_duration_seconds:.0f} s (MINUTES_MAX_DURATION_SECONDS)"
            )
        context.report_progress(0.3)
        duration = audio.decode_to_wav(
            fetched.path,
            processed_audio_path(settings, meeting.id),
            max_duration=settings.max_duration_seconds,
        )
    finally:
        if fetched.downloaded:
            fetched.path.unlink(missing_ok=True)
    return Ingested(duration_seconds=duration, sha256=fetched.sha256)


def save(conn: Connection, meeting: Meeting, result: Ingested) -> None:
    update_meeting(
        conn, meeting.id, duration_seconds=result.duration_seconds, source_sha256=result.sha256
    )


STAGE = Stage(name="ingest", queue="io", weight=5, compute=ingest, save=save)
