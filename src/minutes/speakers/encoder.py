"""Speaker embeddings behind a small interface, so a stronger model can replace the default.

The default is resemblyzer's GE2E d-vector encoder (256-d), whose weights ship inside the
package. Another backend (e.g. pyannote's, where a user has its weights) only has to turn
a stretch of 16 kHz mono speech into one L2-normalised vector.
"""

from __future__ import annotations

import threading
import warnings
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from minutes.audio import PCM

Embedding = npt.NDArray[np.float32]


class SpeakerEncoder(Protocol):
    dimension: int

    def embed(self, speech: PCM) -> Embedding:
        """One unit-length vector for a stretch of one person's speech."""
        ...

    def embed_recording(self, recording: PCM) -> Embedding:
        """One vector for a whole enrolment recording, silences removed."""
        ...


class ResemblyzerEncoder:
    dimension = 256

    def __init__(self, device: str = "cpu", threads: int = 0) -> None:
        import torch

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # resemblyzer imports pkg_resources
            from resemblyzer import VoiceEncoder, audio

        if threads:
            torch.set_num_threads(threads)
        self._audio: Any = audio
        self._model = VoiceEncoder(device=device, verbose=False)
        # The first embedding imports librosa's mel code (~2 s): pay it at load, not per job.
        tone = 0.1 * np.sin(np.arange(16_000, dtype=np.float32) * 0.05)
        self.embed(tone.astype(np.float32))

    def embed(self, speech: PCM) -> Embedding:
        # Volume normalisation divides by the RMS: digital silence would become NaN.
        if np.any(speech):
            speech = self._audio.normalize_volume(speech, -30, increase_only=True)
        return _unit(self._model.embed_utterance(speech))

    def embed_recording(self, recording: PCM) -> Embedding:
        speech = self._audio.preprocess_wav(recording, source_sr=16_000)
        return self.embed(speech if len(speech) else recording)


def _unit(vector: npt.NDArray[Any]) -> Embedding:
    unit: Embedding = np.asarray(vector, dtype=np.float32)
    norm = float(np.linalg.norm(unit))
    return unit / norm if norm else unit


_encoders: dict[tuple[str, int], SpeakerEncoder] = {}
_lock = threading.Lock()


def load_encoder(device: str = "cpu", threads: int = 0) -> SpeakerEncoder:
    """The worker's encoder, loaded once."""
    with _lock:
        key = (device, threads)
        if key not in _encoders:
            _encoders[key] = ResemblyzerEncoder(device, threads)
        return _encoders[key]
