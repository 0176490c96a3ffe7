"""The real faster-whisper models on real (synthetic) speech."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import numpy as np
import pytest

from minutes import audio
from minutes.config import Settings
from minutes.pipeline.transcribe import (
    load_model,
    resolve_device,
    transcribe_pcm,
    transcribe_samples,
)
from minutes.transcript import Transcript
from tests.speech import text_error_rate


def word_error_rate(reference: str, transcript: Transcript) -> float:
    return text_error_rate(reference, " ".join(segment.text for segment in transcript.segments))


@pytest.fixture(scope="module")
def cpu(model_cache: Path) -> Settings:
    return Settings(model_cache_dir=model_cache)


@pytest.fixture(scope="module")
def english_transcript(cpu: Settings, english_speech: tuple[Path, str]) -> tuple[Transcript, float]:
    pcm = audio.load_pcm(english_speech[0])
    seen: list[float] = []
    transcript = transcribe_pcm(
        load_model(cpu), pcm, language=None, beam_size=5, on_progress=seen.append
    )
    assert seen and seen == sorted(seen) and seen[-1] <= 1.0
    return transcript, len(pcm) / audio.SAMPLE_RATE


def test_base_model_transcribes_clean_speech_accurately(
    english_transcript: tuple[Transcript, float], english_speech: tuple[Path, str]
) -> None:
    transcript, _ = english_transcript
    assert transcript.language == "en"
    assert word_error_rate(english_speech[1], transcript) <= 0.05


def test_word_timestamps_are_monotonic_and_inside_the_audio(
    english_transcript: tuple[Transcript, float],
) -> None:
    transcript, duration = english_transcript
    words = [word for segment in transcript.segments for word in segment.words]
    assert len(words) >= 30
    for word in words:
        assert 0 <= word.start <= word.end <= duration
        assert word.probability is not None and 0 <= word.probability <= 1
    starts = [word.start for word in words]
    assert starts == sorted(starts)
    for segment in transcript.segments:
        assert segment.words[0].start >= segment.start - 0.5
        assert segment.words[-1].end <= segment.end + 0.5
        assert segment.confidence is not None and 0 < segment.confidence <= 1


def test_tiny_en_and_a_forced_language(cpu: Settings, english_speech: tuple[Path, str]) -> None:
    pcm = audio.load_pcm(english_speech[0])
    transcript = transcribe_pcm(load_model(cpu, "tiny.en"), pcm, language="en", beam_size=1)
    assert transcript.language == "en"
    assert word_error_rate(english_speech[1], transcript) <= 0.15


def test_silence_and_noise_give_no_invented_text(cpu: Settings) -> None:
    rng = np.random.default_rng(7)
    quiet = np.zeros(audio.SAMPLE_RATE * 10, dtype=np.float32)
    hiss = (rng.standard_normal(audio.SAMPLE_RATE * 10) * 0.02).astype(np.float32)
    for pcm in (quiet, hiss):
        transcript = transcribe_pcm(load_model(cpu), pcm, language=None, beam_size=5)
        assert transcript.segments == []


def test_models_are_loaded_once_per_worker(cpu: Settings) -> None:
    assert load_model(cpu) is load_model(cpu)


def test_device_resolution() -> None:
    assert resolve_device(Settings(device="cpu")) == ("cpu", "int8")
    assert resolve_device(Settings(device="cuda")) == ("cuda", "float16")
    assert resolve_device(Settings(device="cpu", compute_type="float32")) == ("cpu", "float32")
    assert resolve_device(Settings(device="auto"))[0] in ("cpu", "cuda")


def test_long_audio_is_transcribed_in_windows_cut_at_quiet_moments(
    cpu: Settings, english_speech: tuple[Path, str], tmp_path: Path
) -> None:
    """Six-second windows over ~15 s of speech read from the WAV on disk: the words, their
    order and their times survive the cuts."""
    wav = tmp_path / "speech.wav"
    audio.decode_to_wav(english_speech[0], wav, max_duration=60)
    samples = audio.WavSamples(wav)
    seen: list[float] = []
    windowed = transcribe_samples(
        partial(transcribe_pcm, load_model(cpu), beam_size=5),
        samples,
        language=None,
        on_progress=seen.append,
        window_seconds=6,
    )
    assert windowed.language == "en"
    # a 4-6 s window gives Whisper little context, so a few words suffer (10-minute windows
    # in the stage do not); what matters here is that nothing is lost or misplaced at a cut
    assert word_error_rate(english_speech[1], windowed) <= 0.20
    text = " ".join(segment.text for segment in windowed.segments)
    assert text.startswith("The quarterly budget review") and text.endswith("campaign ideas.")
    starts = [word.start for segment in windowed.segments for word in segment.words]
    assert starts == sorted(starts) and starts[0] >= 0 and starts[-1] <= samples.seconds
    assert windowed.segments[-1].end > 10  # the later windows are shifted to their place
    assert seen == sorted(seen) and seen[-1] <= 1.0
