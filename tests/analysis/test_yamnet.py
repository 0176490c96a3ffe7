"""YAMNet on generated sounds: speech is told from tones, noise and silence."""

from __future__ import annotations

import itertools
from pathlib import Path

import librosa
import numpy as np
import pytest

from minutes.analysis import yamnet
from minutes.analysis.events import patch_labels, sound_events
from minutes.audio import SAMPLE_RATE
from tests.speech import ESPEAK_RATE, speak

SECONDS = 4


def tone(hz: float) -> np.ndarray:
    t = np.arange(SECONDS * SAMPLE_RATE) / SAMPLE_RATE
    return (0.3 * np.sin(2 * np.pi * hz * t)).astype(np.float32)


def noise() -> np.ndarray:
    rng = np.random.default_rng(7)
    return (0.1 * rng.standard_normal(SECONDS * SAMPLE_RATE)).astype(np.float32)


def speech() -> np.ndarray:
    said = speak("Let us review the budget and agree on the launch plan before Friday.") / 32768
    return librosa.resample(said, orig_sr=ESPEAK_RATE, target_sr=SAMPLE_RATE).astype(np.float32)


@pytest.fixture(scope="module")
def model(tmp_path_factory: pytest.TempPathFactory) -> yamnet.YamNet:
    return yamnet.load_yamnet(tmp_path_factory.mktemp("models"), 2)


def labels_of(model: yamnet.YamNet, pcm: np.ndarray) -> list[str]:
    return [label for label, _ in patch_labels(model.scores(pcm), model.class_names, pcm)]


def test_front_end_matches_librosa_mel_spectrogram() -> None:
    pcm = noise()
    reference = librosa.feature.melspectrogram(
        y=pcm,
        sr=SAMPLE_RATE,
        n_fft=512,
        hop_length=160,
        win_length=400,
        window="hann",
        center=False,
        power=1.0,
        n_mels=64,
        fmin=125.0,
        fmax=7500.0,
        htk=True,
        norm=None,
    )
    ours = yamnet.log_mel(pcm)
    assert ours.shape == reference.T.shape
    np.testing.assert_allclose(ours, np.log(reference.T + 1e-6), atol=1e-3)


def test_patches_from_blocks_equal_patches_from_the_whole() -> None:
    pcm = np.tile(noise(), 30)  # 120 s: several blocks
    frames = yamnet.log_mel(pcm)
    patches = list(yamnet.patches(pcm))
    assert len(patches) == yamnet.patch_count(len(pcm)) == 1 + (len(frames) - 96) // 48
    for index in (0, 99, 100, 101, len(patches) - 1):
        start = index * yamnet.PATCH_HOP_FRAMES
        np.testing.assert_allclose(patches[index], frames[start : start + 96], atol=1e-5)


def test_a_short_clip_is_one_padded_patch() -> None:
    assert [p.shape for p in yamnet.patches(np.zeros(8000, dtype=np.float32))] == [(96, 64)]


def test_speech_is_told_from_tones_noise_and_silence(model: yamnet.YamNet) -> None:
    spoken = labels_of(model, speech())
    assert spoken.count("Speech") >= 0.8 * len(spoken), spoken
    for name, pcm in [("tone", tone(440)), ("high tone", tone(2500)), ("noise", noise())]:
        labels = labels_of(model, pcm)
        assert "Speech" not in labels, (name, labels)  # '' (nothing likely) is not speech
    assert all(labels_of(model, tone(440))) and all(labels_of(model, noise()))
    assert set(labels_of(model, np.zeros(SECONDS * SAMPLE_RATE, dtype=np.float32))) == {"Silence"}


def test_a_recording_becomes_touching_events_in_time_order(model: yamnet.YamNet) -> None:
    pcm = np.concatenate([speech(), tone(440), np.zeros(3 * SAMPLE_RATE, dtype=np.float32)])
    duration = len(pcm) / SAMPLE_RATE
    events = sound_events(patch_labels(model.scores(pcm), model.class_names, pcm), duration)
    assert events[0].label == "Speech" and events[0].start == 0
    assert events[-1].label == "Silence" and events[-1].end == pytest.approx(duration, abs=0.01)
    tones = [e for e in events if not e.is_speech and e.label != "Silence"]
    speech_end = len(speech()) / SAMPLE_RATE
    assert tones and abs(tones[0].start - speech_end) < 1.0, events
    for before, after in itertools.pairwise(events):
        assert before.end == after.start and before.label != after.label


def test_the_model_is_unpacked_once_into_the_cache(tmp_path: Path) -> None:
    first = yamnet.load_yamnet(tmp_path, 1)
    assert (tmp_path / "yamnet").is_dir() and len(first.class_names) == 521
    assert yamnet.load_yamnet(tmp_path, 1) is first
