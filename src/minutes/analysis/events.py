"""From YAMNet's per-patch scores to labelled time ranges.

Each 0.96 s patch (every 0.48 s) takes its most likely class; the six AudioSet classes of
human speech count as one, "Speech"; room-tone classes ("Inside, small room", ...) describe
the space rather than an event and never win. Patches quieter than SILENCE_DBFS are
"Silence" whatever the model says. Consecutive patches with the same label become one event.
"""

from __future__ import annotations

import numpy as np

from minutes.analysis.model import SoundEvent
from minutes.analysis.yamnet import HOP, N_FFT, PATCH_HOP_SECONDS, PATCH_SECONDS, Scores
from minutes.audio import SAMPLE_RATE, Samples

SPEECH_CLASSES = frozenset(
    {
        "Speech",
        "Child speech, kid speaking",
        "Conversation",
        "Narration, monologue",
        "Babbling",
        "Speech synthesizer",
    }
)
AMBIENCE_PREFIXES = ("Inside, ", "Outside, ")
SILENCE_DBFS = -60.0
MIN_SCORE = 0.2
"""A patch whose best class scores lower than this is left unlabelled."""
LEVEL_BLOCK_PATCHES = 250
"""Patches whose levels are measured from one read of the audio (about two minutes)."""


def _patch_levels(pcm: Samples, patches: int) -> np.ndarray:
    """RMS level of each patch's samples, in dB full scale, reading the audio in blocks."""
    width = int((PATCH_SECONDS * SAMPLE_RATE) + N_FFT - HOP)
    levels = np.empty(patches)
    for first in range(0, patches, LEVEL_BLOCK_PATCHES):
        last = min(first + LEVEL_BLOCK_PATCHES, patches)
        offset = _patch_start(first)
        block = np.asarray(pcm[offset : _patch_start(last - 1) + width], dtype=np.float64)
        for index in range(first, last):
            start = _patch_start(index) - offset
            piece = block[start : start + width]
            rms = float(np.sqrt(np.mean(np.square(piece)))) if len(piece) else 0.0
            levels[index] = 20 * np.log10(max(rms, 1e-10))
    return levels


def _patch_start(index: int) -> int:
    return int(index * PATCH_HOP_SECONDS * SAMPLE_RATE)


def patch_labels(scores: Scores, class_names: list[str], pcm: Samples) -> list[tuple[str, float]]:
    """The label and its score for each patch ('' when nothing is likely)."""
    eligible = np.array([not name.startswith(AMBIENCE_PREFIXES) for name in class_names])
    speech = np.array([name in SPEECH_CLASSES for name in class_names])
    levels = _patch_levels(pcm, len(scores))
    labels: list[tuple[str, float]] = []
    for row, level in zip(scores, levels, strict=True):
        if level < SILENCE_DBFS:
            labels.append(("Silence", 1.0))
            continue
        best = int(np.argmax(np.where(eligible, row, -1.0)))
        score = float(row[best])
        if speech[best]:
            labels.append(("Speech", float(row[speech].max())))
        elif score >= MIN_SCORE:
            labels.append((class_names[best], score))
        else:
            labels.append(("", score))
    return labels


def _edge(patch: int) -> float:
    """Where patch `patch` takes over from the one before: half-way through their overlap."""
    return (
        0.0 if patch == 0 else patch * PATCH_HOP_SECONDS + (PATCH_SECONDS - PATCH_HOP_SECONDS) / 2
    )


def sound_events(labels: list[tuple[str, float]], duration: float) -> list[SoundEvent]:
    """Consecutive patches with one label as one event; events touch but never overlap."""
    events: list[SoundEvent] = []
    run_start = 0
    for index in range(1, len(labels) + 1):
        if index < len(labels) and labels[index][0] == labels[run_start][0]:
            continue
        label = labels[run_start][0]
        if label:
            run = [score for _, score in labels[run_start:index]]
            events.append(
                SoundEvent(
                    label=label,
                    start=round(_edge(run_start), 2),
                    end=round(duration if index == len(labels) else _edge(index), 2),
                    score=round(float(np.mean(run)), 3),
                )
            )
        run_start = index
    return events
