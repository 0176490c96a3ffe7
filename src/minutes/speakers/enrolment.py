"""Enrol a known voice from recordings of that person alone."""

from __future__ import annotations

from pathlib import Path
from uuid import UUID

from minutes import audio
from minutes.config import Settings
from minutes.db import Connection
from minutes.db.speakers import add_confirmed_audio
from minutes.pipeline.transcribe import resolve_device
from minutes.speakers.encoder import load_encoder

MIN_ENROL_SECONDS = 1.0


def enrol(conn: Connection, settings: Settings, name: str, recordings: list[Path]) -> UUID:
    """Create or improve the profile `name`; each recording counts as one confirmed turn."""
    encoder = load_encoder(resolve_device(settings)[0], settings.cpu_threads)
    embeddings = []
    for path in recordings:
        pcm = audio.load_pcm(path)
        if len(pcm) < MIN_ENROL_SECONDS * audio.SAMPLE_RATE:
            raise audio.AudioError(f"{path.name} is too short to enrol a voice (under 1 s)")
        embeddings.append(encoder.embed_recording(pcm))
    speaker_id = None
    with conn.transaction():
        for embedding in embeddings:
            speaker_id = add_confirmed_audio(conn, name, embedding, turns=1)
    assert speaker_id is not None
    return speaker_id
