from __future__ import annotations

import numpy as np

from minutes import audio
from minutes.speakers.encoder import load_encoder
from tests.speech import speak


def test_embeddings_are_unit_vectors_that_tell_voices_apart() -> None:
    encoder = load_encoder()
    text = "We will review the budget on Thursday afternoon with the whole team."
    other = "Please send me the updated forecast before the end of the week."

    def embed(sentence: str, voice: str) -> np.ndarray:
        samples = speak(sentence, voice).astype(np.float32) / 32768
        resampled = np.interp(
            np.arange(0, len(samples), 22_050 / audio.SAMPLE_RATE), np.arange(len(samples)), samples
        ).astype(np.float32)
        return encoder.embed(resampled)

    male, male_again, female = embed(text, "en-us"), embed(other, "en-us"), embed(text, "en+f3")
    assert np.isclose(np.linalg.norm(male), 1.0, atol=1e-5)
    assert float(male @ male_again) > 0.85
    assert float(male @ female) < 0.8


def test_silence_does_not_break_the_encoder() -> None:
    vector = load_encoder().embed(np.zeros(audio.SAMPLE_RATE * 2, dtype=np.float32))
    assert vector.shape == (256,) and np.all(np.isfinite(vector))


def test_the_encoder_is_loaded_once() -> None:
    assert load_encoder() is load_encoder()
