"""Probe, validate and decode recordings with PyAV: the one place that touches codecs.

Every stage after ingest reads the same thing: 16 kHz mono PCM in a WAV file, so codecs,
containers and video tracks are dealt with exactly once.
"""

from __future__ import annotations

import wave
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import av
import numpy as np
import numpy.typing as npt

from minutes.errors import BadInput

SAMPLE_RATE = 16_000
PCM = npt.NDArray[np.float32]


class AudioError(BadInput):
    """The file is not usable audio: unreadable, silent-by-construction or too long."""


@dataclass(frozen=True)
class AudioInfo:
    container: str
    codec: str
    sample_rate: int
    channels: int
    duration: float | None
    """Seconds, as declared by the container; None when it does not say (some webm)."""
    has_video: bool


def probe(path: Path) -> AudioInfo:
    """Read the container header and pick the audio stream, without decoding."""
    with _open(path) as container:
        stream = _audio_stream(container, path)
        duration = None
        if stream.duration is not None and stream.time_base is not None:
            duration = float(stream.duration * stream.time_base)
        elif container.duration is not None:
            duration = container.duration / av.time_base
        return AudioInfo(
            container=container.format.name,
            codec=stream.codec_context.name,
            sample_rate=stream.codec_context.sample_rate or 0,
            channels=stream.codec_context.channels or 0,
            duration=duration,
            has_video=bool(container.streams.video),
        )


def decode_to_wav(source: Path, target: Path, max_duration: float) -> float:
    """Decode `source` to 16 kHz mono 16-bit WAV at `target`; returns the decoded seconds.

    Streams frame by frame, so memory stays flat however long the recording is, and stops
    as soon as the decoded audio passes `max_duration`.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    max_samples = int(max_duration * SAMPLE_RATE)
    samples = 0
    try:
        with wave.open(str(partial), "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(SAMPLE_RATE)
            for chunk in _resampled_chunks(source, "s16"):
                samples += chunk.shape[-1]
                if samples > max_samples:
                    raise AudioError(
                        f"recording is longer than the limit of {max_duration:.0f} s "
                        "(MINUTES_MAX_DURATION_SECONDS)"
                    )
                out.writeframes(chunk.tobytes())
        if samples == 0:
            raise AudioError("the audio stream holds no samples (zero-length recording)")
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return samples / SAMPLE_RATE


def read_wav(path: Path) -> PCM:
    """The processed audio as float32 in [-1, 1] (all of it: for short files and tools)."""
    return WavSamples(path)[:]


class Samples(Protocol):
    """Audio that can be measured and sliced: a float32 array, or a WAV file read on demand."""

    def __len__(self) -> int: ...

    def __getitem__(self, window: slice, /) -> PCM: ...


class WavSamples:
    """The processed WAV as `Samples`: each slice reads just that stretch from disk, so a
    three-hour meeting never sits in memory whole (a full float32 copy would be 690 MB)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        with wave.open(str(path), "rb") as wav:
            if wav.getframerate() != SAMPLE_RATE or wav.getnchannels() != 1:
                raise AudioError(f"{path} is not 16 kHz mono; re-run ingest")
            self._frames = wav.getnframes()

    def __len__(self) -> int:
        return self._frames

    @property
    def seconds(self) -> float:
        return self._frames / SAMPLE_RATE

    def __getitem__(self, window: slice, /) -> PCM:
        start, stop, step = window.indices(self._frames)
        if step != 1:
            raise ValueError("WavSamples slices are contiguous")
        if stop <= start:
            return np.zeros(0, dtype=np.float32)
        with wave.open(str(self.path), "rb") as wav:
            wav.setpos(start)
            raw = wav.readframes(stop - start)
        return np.frombuffer(raw, dtype=np.int16).astype(np.float32) / np.float32(32768.0)


def load_pcm(path: Path) -> PCM:
    """Decode any recording straight to float32 16 kHz mono in memory (tools and tests)."""
    chunks = [chunk.reshape(-1) for chunk in _resampled_chunks(path, "flt")]
    return np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.float32)


def _resampled_chunks(path: Path, sample_format: str) -> Iterator[npt.NDArray[np.generic]]:
    resampler = av.AudioResampler(format=sample_format, layout="mono", rate=SAMPLE_RATE)
    with _open(path) as container:
        stream = _audio_stream(container, path)
        try:
            for frame in container.decode(stream):
                for resampled in resampler.resample(frame):
                    yield resampled.to_ndarray()
            for resampled in resampler.resample(None):
                yield resampled.to_ndarray()
        except av.FFmpegError as error:
            raise AudioError(f"corrupt audio data in {path.name}: {error}") from error


def _open(path: Path) -> av.container.InputContainer:
    try:
        return av.open(str(path), mode="r", metadata_errors="ignore")
    except av.FFmpegError as error:
        raise AudioError(
            f"cannot read {path.name} as audio or video ({error.strerror or error})"
        ) from error


def _audio_stream(container: av.container.InputContainer, path: Path) -> av.AudioStream:
    if not container.streams.audio:
        raise AudioError(f"{path.name} has no audio stream")
    stream = container.streams.audio[0]
    if stream.codec_context is None:  # a header naming a codec FFmpeg does not know
        raise AudioError(f"{path.name} has an audio stream in a codec that cannot be decoded")
    return stream
