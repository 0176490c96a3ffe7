"""Transcribe: VAD + faster-whisper, with word timestamps and language detection, or a remote
OpenAI-compatible service (`MINUTES_ASR_BACKEND=openai`, minutes.asr.remote).

Each worker loads a model once and keeps it (reloading per job costs seconds on CPU).
Long recordings go through either backend in windows.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Iterable
from contextlib import closing
from functools import partial
from typing import Any, Protocol

import numpy as np
import psycopg
import structlog
from faster_whisper import WhisperModel

from minutes import audio
from minutes.asr.remote import RemoteRecognizer, longest_upload_seconds
from minutes.config import Settings
from minutes.db import Connection
from minutes.db.meetings import Meeting, announce_segment, replace_segments, update_meeting
from minutes.pipeline.ingest import processed_audio_path
from minutes.pipeline.stage import Stage, StageContext
from minutes.transcript import Segment, Transcript, Word, clamp
from minutes.weights import resolve_whisper_model

# Whisper's own signals for text that is not speech: a segment that compresses too well is
# a repetition loop, and a likely-silent segment with low confidence is invented text.
MAX_COMPRESSION_RATIO = 2.4
NO_SPEECH_PROBABILITY = 0.6
MIN_AVG_LOGPROB = -1.0

log = structlog.get_logger(__name__)

_models: dict[tuple[str, str, str, int], WhisperModel] = {}
_models_lock = threading.Lock()


def resolve_device(settings: Settings) -> tuple[str, str]:
    """(device, compute type): int8 on CPU and float16 on CUDA unless configured."""
    device = settings.device
    if device == "auto":
        import ctranslate2

        device = "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"
    compute_type = settings.compute_type
    if compute_type == "default":
        compute_type = "float16" if device == "cuda" else "int8"
    return device, compute_type


def load_model(settings: Settings, name: str | None = None) -> WhisperModel:
    model_path = resolve_whisper_model(name or settings.whisper_model, settings.models_dir)
    device, compute_type = resolve_device(settings)
    key = (model_path, device, compute_type, settings.cpu_threads)
    with _models_lock:
        if key not in _models:
            _models[key] = WhisperModel(
                model_path,
                device=device,
                compute_type=compute_type,
                cpu_threads=settings.cpu_threads,
                download_root=str(settings.models_dir / "hub"),
            )
        return _models[key]


SegmentSink = Callable[[Segment], None]


def _ignore(segment: Segment) -> None:
    pass


class Recognizer(Protocol):
    """Turns one window of decoded audio into its transcript, handing each segment to
    `on_segment` as soon as it is known."""

    def __call__(
        self,
        pcm: audio.PCM,
        *,
        language: str | None,
        on_progress: Callable[[float], None],
        on_segment: SegmentSink,
    ) -> Transcript: ...


def transcribe_pcm(
    model: WhisperModel,
    pcm: audio.PCM,
    *,
    language: str | None,
    beam_size: int,
    prompt: str | None = None,
    temperature: float | None = None,
    on_progress: Callable[[float], None] = lambda fraction: None,
    on_segment: SegmentSink = _ignore,
) -> Transcript:
    """Run Whisper over decoded audio; the plain function the stage and benchmarks share.
    A `temperature` replaces faster-whisper's fallback ladder with that one value."""
    duration = len(pcm) / audio.SAMPLE_RATE
    sampling = {} if temperature is None else {"temperature": temperature}
    segments, info = model.transcribe(
        pcm,
        language=language,
        beam_size=beam_size,
        initial_prompt=prompt,
        vad_filter=True,
        word_timestamps=True,
        condition_on_previous_text=False,
        **sampling,
    )
    kept = []
    for raw in segments:
        if duration:
            on_progress(min(raw.end / duration, 1.0))
        if _is_likely_speech(raw):
            kept.append(_to_segment(raw, duration))
            on_segment(kept[-1])
    return Transcript(
        language=info.language, language_probability=info.language_probability, segments=kept
    )


def _is_likely_speech(raw: Any) -> bool:
    if raw.compression_ratio > MAX_COMPRESSION_RATIO:
        return False
    silent = raw.no_speech_prob > NO_SPEECH_PROBABILITY and raw.avg_logprob < MIN_AVG_LOGPROB
    return not silent and bool(raw.text.strip())


def _to_segment(raw: Any, duration: float) -> Segment:
    words = [
        Word(
            word=word.word.strip(),
            start=clamp(word.start, duration),
            end=clamp(word.end, duration),
            probability=word.probability,
        )
        for word in _words(raw.words)
    ]
    return Segment(
        start=clamp(raw.start, duration),
        end=clamp(raw.end, duration),
        text=raw.text.strip(),
        confidence=math.exp(raw.avg_logprob),
        no_speech_prob=round(raw.no_speech_prob, 4),
        compression_ratio=round(raw.compression_ratio, 4),
        words=words,
    )


def _words(words: Iterable[Any] | None) -> Iterable[Any]:
    return [word for word in words or () if word.word.strip()]


WINDOW_SECONDS = 600.0
"""Long recordings are transcribed 10 minutes at a time: faster-whisper's spectrogram of a
window takes several times its audio's size, so memory is set by the window, not by the
meeting's length. Shorter recordings go through in one piece."""
CUT_SEARCH_SECONDS = 5.0
"""A window ends at the quietest 100 ms within this distance of its nominal end."""


def _quiet_cut(pcm: audio.Samples, near: int) -> int:
    reach = int(CUT_SEARCH_SECONDS * audio.SAMPLE_RATE)
    first = max(near - reach, 0)
    stretch = pcm[first : near + reach]
    frame = audio.SAMPLE_RATE // 10
    count = len(stretch) // frame
    if count == 0:
        return near
    energy = np.square(stretch[: count * frame].reshape(count, frame)).mean(axis=1)
    return first + int(np.argmin(energy)) * frame + frame // 2


def _shifted(segment: Segment, offset: float) -> Segment:
    return segment.model_copy(
        update={
            "start": round(segment.start + offset, 3),
            "end": round(segment.end + offset, 3),
            "words": [
                word.model_copy(
                    update={
                        "start": round(word.start + offset, 3),
                        "end": round(word.end + offset, 3),
                    }
                )
                for word in segment.words
            ],
        }
    )


def transcribe_samples(
    recognize: Recognizer,
    pcm: audio.Samples,
    *,
    language: str | None,
    on_progress: Callable[[float], None] = lambda fraction: None,
    on_segment: SegmentSink = _ignore,
    window_seconds: float = WINDOW_SECONDS,
) -> Transcript:
    """Whisper window by window, each cut at a quiet moment; the language found in the
    first window is kept for the rest, so one meeting is one language throughout."""
    total = len(pcm)
    window = int(window_seconds * audio.SAMPLE_RATE)
    start, segments = 0, []
    found: tuple[str, float] | None = (language, 1.0) if language else None
    while start < total:
        end = total if total - start <= window else _quiet_cut(pcm, start + window)
        begin = start

        def progress(fraction: float, begin: int = begin, end: int = end) -> None:
            on_progress((begin + fraction * (end - begin)) / total)

        offset = start / audio.SAMPLE_RATE

        def announce(segment: Segment, offset: float = offset) -> None:
            on_segment(_shifted(segment, offset))

        part = recognize(
            pcm[start:end],
            language=found[0] if found else None,
            on_progress=progress,
            on_segment=announce,
        )
        if found is None:
            found = (part.language, part.language_probability)
        segments += [_shifted(segment, offset) for segment in part.segments]
        start = end
    language_found, probability = found or (language or "en", 0.0)
    return Transcript(language=language_found, language_probability=probability, segments=segments)


def remote_window_seconds(settings: Settings) -> float:
    """Windows whose latest quiet cut still fits the provider's upload limit."""
    return min(WINDOW_SECONDS, longest_upload_seconds(settings) - CUT_SEARCH_SECONDS)


def _announcer(context: StageContext) -> SegmentSink:
    """Each segment as a notification, for callers following the transcript live."""

    def announce(segment: Segment) -> None:
        try:
            with context.connection() as conn:
                announce_segment(conn, context.meeting.id, segment)
        except psycopg.Error as error:  # the saved transcript is what counts
            log.warning(
                "segment.not_announced", meeting_id=str(context.meeting.id), error=str(error)
            )

    return announce


def transcribe(context: StageContext) -> Transcript:
    settings, options = context.settings, context.meeting.options
    on_segment = _announcer(context)
    pcm = audio.WavSamples(processed_audio_path(settings, context.meeting.id))
    language = options.get("language") or settings.language
    prompt, temperature = options.get("prompt"), options.get("temperature")
    if settings.asr_backend == "openai":
        remote = RemoteRecognizer.open(settings, options.get("model"), prompt, temperature)
        with closing(remote):
            return transcribe_samples(
                remote,
                pcm,
                language=language,
                on_progress=context.report_progress,
                on_segment=on_segment,
                window_seconds=remote_window_seconds(settings),
            )
    local = partial(
        transcribe_pcm,
        load_model(settings, options.get("model")),
        beam_size=settings.beam_size,
        prompt=prompt,
        temperature=temperature,
    )
    return transcribe_samples(
        local, pcm, language=language, on_progress=context.report_progress, on_segment=on_segment
    )


def save(conn: Connection, meeting: Meeting, transcript: Transcript) -> None:
    replace_segments(conn, meeting.id, transcript.segments)
    update_meeting(conn, meeting.id, language=transcript.language)


STAGE = Stage(name="transcribe", queue="asr", weight=85, compute=transcribe, save=save)
