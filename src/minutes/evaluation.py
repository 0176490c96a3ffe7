"""Diarization error rate, for tests and benchmarks against recordings with known turns.

DER = (missed speech + false alarm + speaker confusion) / reference speech, on 10 ms frames,
ignoring a collar around every reference turn boundary, with hypothesis speakers mapped
one-to-one to reference speakers so that their overlap is largest (Hungarian assignment).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from scipy.optimize import linear_sum_assignment

FRAME_SECONDS = 0.01

Turn = tuple[str, float, float]
"""(speaker, start seconds, end seconds)"""


def _frames(seconds: float) -> int:
    return round(seconds / FRAME_SECONDS)


def _activity(turns: Sequence[Turn], speakers: list[str], length: int) -> npt.NDArray[np.bool_]:
    active = np.zeros((len(speakers), length), dtype=bool)
    for speaker, start, end in turns:
        active[speakers.index(speaker), _frames(start) : _frames(end)] = True
    return active


def diarization_error_rate(
    reference: Sequence[Turn], hypothesis: Sequence[Turn], collar: float = 0.25
) -> float:
    ref_speakers = sorted({turn[0] for turn in reference})
    hyp_speakers = sorted({turn[0] for turn in hypothesis})
    length = _frames(max(end for _, _, end in [*reference, *hypothesis])) + 1
    ref = _activity(reference, ref_speakers, length)
    hyp = _activity(hypothesis, hyp_speakers, length)

    scored = np.ones(length, dtype=bool)
    margin = _frames(collar)
    for _, start, end in reference:
        for boundary in (_frames(start), _frames(end)):
            scored[max(boundary - margin, 0) : boundary + margin] = False
    ref, hyp = ref[:, scored], hyp[:, scored]

    ref_count, hyp_count = ref.sum(axis=0), hyp.sum(axis=0)
    total = int(ref_count.sum())
    if total == 0:
        return 0.0
    missed = np.maximum(ref_count - hyp_count, 0).sum()
    false_alarm = np.maximum(hyp_count - ref_count, 0).sum()

    overlap = ref.astype(np.int64) @ hyp.T.astype(np.int64)  # frames both say, per pair
    rows, cols = linear_sum_assignment(-overlap) if overlap.size else ([], [])
    correct = int(overlap[rows, cols].sum()) if len(rows) else 0
    confusion = np.minimum(ref_count, hyp_count).sum() - correct
    return float((missed + false_alarm + confusion) / total)
