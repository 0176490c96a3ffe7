"""Diarize: who spoke when, from the transcript's words and the voices behind them.

Runs after transcribe on the decoded audio: cut the transcript into pieces, embed each
long-enough piece, cluster the embeddings into voices, give short pieces to the nearest
voice, and match each voice against enrolled speaker profiles. Re-running it (say, with a
different `num_speakers`) replaces the meeting's labels; transcription is not repeated.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from minutes import audio
from minutes.db import Connection
from minutes.db.meetings import Meeting, get_segments, replace_segments
from minutes.db.speakers import MeetingVoice, match_voices, save_meeting_voices
from minutes.pipeline.ingest import processed_audio_path
from minutes.pipeline.stage import Stage, StageContext
from minutes.pipeline.transcribe import resolve_device
from minutes.speakers.clustering import centroids, cluster_voices, nearest
from minutes.speakers.encoder import Embedding, SpeakerEncoder, load_encoder
from minutes.speakers.turns import (
    MIN_EMBED_SECONDS,
    Piece,
    label_segments,
    split_into_pieces,
)
from minutes.transcript import Segment


@dataclass(frozen=True)
class Diarization:
    segments: list[Segment]
    voices: list[MeetingVoice]


def speaker_label(number: int) -> str:
    return f"SPEAKER_{number:02d}"


def diarize_transcript(
    pcm: audio.Samples,
    segments: list[Segment],
    encoder: SpeakerEncoder,
    options: dict[str, Any],
    on_progress: Callable[[float], None] = lambda fraction: None,
) -> Diarization:
    """The plain function the stage and the benchmark share."""
    pieces = split_into_pieces(segments)
    if not pieces:
        return Diarization(segments=[], voices=[])

    def embed(piece: Piece) -> Embedding:
        start, end = (int(t * audio.SAMPLE_RATE) for t in (piece.start, piece.end))
        return encoder.embed(pcm[start:end])

    long_pieces = [i for i, p in enumerate(pieces) if p.duration >= MIN_EMBED_SECONDS]
    if not long_pieces:  # only short interjections: embed them anyway
        long_pieces = list(range(len(pieces)))
    embeddings = np.zeros((len(pieces), encoder.dimension), dtype=np.float32)
    for done, index in enumerate(long_pieces):
        embeddings[index] = embed(pieces[index])
        on_progress(0.9 * (done + 1) / len(long_pieces))

    numbers = np.zeros(len(pieces), dtype=int)
    numbers[long_pieces] = cluster_voices(
        embeddings[long_pieces],
        np.array([pieces[i].duration for i in long_pieces]),
        num_speakers=options.get("num_speakers"),
        min_speakers=options.get("min_speakers"),
        max_speakers=options.get("max_speakers"),
    )
    centres = centroids(embeddings[long_pieces], numbers[long_pieces])
    embedded = set(long_pieces)
    for index, piece in enumerate(pieces):
        if index not in embedded:
            numbers[index] = nearest(embed(piece), centres)

    labels = [speaker_label(int(n)) for n in numbers]
    voices = [
        MeetingVoice(
            label=speaker_label(k),
            embedding=centres[k],
            turns=int((numbers == k).sum()),
            seconds=round(
                sum(p.duration for p, n in zip(pieces, numbers, strict=True) if n == k), 2
            ),
        )
        for k in range(len(centres))
    ]
    return Diarization(segments=label_segments(segments, pieces, labels), voices=voices)


def diarize(context: StageContext) -> Diarization:
    meeting, settings = context.meeting, context.settings
    with context.connection() as conn:
        segments = get_segments(conn, meeting.id)
    if not segments:
        return Diarization(segments=[], voices=[])
    return diarize_transcript(
        audio.WavSamples(processed_audio_path(settings, meeting.id)),
        segments,
        load_encoder(resolve_device(settings)[0], settings.cpu_threads),
        meeting.options,
        context.report_progress,
    )


def save(conn: Connection, meeting: Meeting, result: Diarization) -> None:
    replace_segments(conn, meeting.id, result.segments)
    save_meeting_voices(conn, meeting.id, result.voices, match_voices(conn, result.voices))


STAGE = Stage(name="diarize", queue="asr", weight=10, compute=diarize, save=save)
