"""Ingest: fetch the recording, check it, and decode it once to 16 kHz mono WAV.

The WAV goes to storage (`meetings/<id>/audio.wav`), so a later stage on another machine
fetches it from there; each machine keeps a copy in its data dir.
"""

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
from minutes.sources.stored import fetch_stored
from minutes.storage import open_storage


@dataclass(frozen=True)
class Ingested:
    duration_seconds: float
    sha256: str


def processed_audio_key(meeting_id: UUID) -> str:
    return f"meetings/{meeting_id}/audio.wav"


def processed_audio_path(settings: Settings, meeting_id: UUID) -> Path:
    """The meeting's decoded audio on this machine, fetched from storage when missing."""
    path = settings.data_dir / "audio" / f"{meeting_id}.wav"
    if not path.exists():
        open_storage(settings).download(processed_audio_key(meeting_id), path)
    return path


def ingest(context: StageContext) -> Ingested:
    settings, meeting = context.settings, context.meeting
    if meeting.audio_storage_path:
        fetched = fetch_stored(meeting.audio_storage_path, settings)
    elif meeting.audio_url:
        fetched = fetch_source(meeting.audio_url, settings)
    else:
        raise BadInput("meeting has neither audio_url nor audio_storage_path")
    context.report_progress(0.2)
    try:
        info = audio.probe(fetched.path)
        if info.duration is not None and info.duration > settings.max_duration_seconds:
            raise audio.AudioError(
                f"recording is {info.duration:.0f} s, over the limit of "
                f"{settings.max_duration_seconds:.0f} s (MINUTES_MAX_DURATION_SECONDS)"
            )
        context.report_progress(0.3)
        local = settings.data_dir / "audio" / f"{meeting.id}.wav"
        duration = audio.decode_to_wav(
            fetched.path, local, max_duration=settings.max_duration_seconds
        )
        context.report_progress(0.9)
        open_storage(settings).put_file(processed_audio_key(meeting.id), local)
    finally:
        if fetched.downloaded:
            fetched.path.unlink(missing_ok=True)
    return Ingested(duration_seconds=duration, sha256=fetched.sha256)


def save(conn: Connection, meeting: Meeting, result: Ingested) -> None:
    update_meeting(
        conn, meeting.id, duration_seconds=result.duration_seconds, source_sha256=result.sha256
    )


STAGE = Stage(name="ingest", queue="io", weight=5, compute=ingest, save=save)
