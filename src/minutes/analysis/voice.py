"""How each speaker sounds and talks, measured from their stretches of audio and their words.

Loudness is RMS over 50 ms frames while they talk (dB full scale, so it also reflects the
recording's gain); pitch is YIN's estimate on frames loud enough to be voiced; speaking rate
is words over talking time. At most MAX_PITCH_SECONDS of each voice go through YIN, spread
over the meeting, so a three-hour meeting costs no more than a short one.
"""

from __future__ import annotations

from collections import defaultdict

import librosa
import numpy as np
import numpy.typing as npt

from minutes.analysis.model import VoiceStats
from minutes.audio import PCM, SAMPLE_RATE, Samples
from minutes.summary.sentences import sentences
from minutes.summary.sentiment import mean_compound
from minutes.transcript import Segment

FRAME = SAMPLE_RATE // 20
"""50 ms loudness frames."""
SILENT_DBFS = -60.0
MAX_PITCH_SECONDS = 240.0
PITCH_RANGE_HZ = (65.0, 400.0)
VOICED_BELOW_PEAK_DB = 20.0
"""Frames this far under the voice's loud frames are treated as unvoiced for pitch."""


def _levels(pcm: PCM) -> npt.NDArray[np.float64]:
    usable = len(pcm) // FRAME * FRAME
    frames = pcm[:usable].reshape(-1, FRAME).astype(np.float64)
    return np.asarray(20 * np.log10(np.maximum(np.sqrt(np.mean(frames**2, axis=1)), 1e-10)))


def _pitch(pcm: PCM) -> tuple[float | None, float | None]:
    """Median pitch in Hz and its spread in semitones, or None without voiced frames."""
    if len(pcm) < SAMPLE_RATE:
        return None, None
    low, high = PITCH_RANGE_HZ
    f0 = librosa.yin(pcm, fmin=low, fmax=high, sr=SAMPLE_RATE, frame_length=1024, hop_length=320)
    rms = librosa.feature.rms(y=pcm, frame_length=1024, hop_length=320)[0][: len(f0)]
    level = 20 * np.log10(np.maximum(rms, 1e-10))
    voiced = (level > np.percentile(level, 90) - VOICED_BELOW_PEAK_DB) & (f0 > low) & (f0 < high)
    if voiced.sum() < 10:
        return None, None
    median = float(np.median(f0[voiced]))
    spread = float(np.std(12 * np.log2(f0[voiced] / median)))
    return round(median, 1), round(spread, 2)


def _piece(pcm: Samples, segment: Segment) -> PCM:
    return pcm[int(segment.start * SAMPLE_RATE) : int(segment.end * SAMPLE_RATE)]


def _pitch_sample(pcm: Samples, segments: list[Segment], talk: float) -> PCM:
    """Every k-th segment, so the sample spans the whole meeting and stays under the limit."""
    step = max(1, int(np.ceil(talk / MAX_PITCH_SECONDS)))
    chosen = [_piece(pcm, segment) for segment in segments[::step]]
    return np.concatenate(chosen) if chosen else np.zeros(0, dtype=np.float32)


def voice_stats(
    pcm: Samples, segments: list[Segment], speaker: str | None, total_talk: float
) -> VoiceStats:
    """Reads one segment at a time (and at most MAX_PITCH_SECONDS at once for pitch)."""
    talk = sum(s.end - s.start for s in segments)
    words = sum(len(s.words) or len(s.text.split()) for s in segments)
    levels = (
        np.concatenate([_levels(_piece(pcm, s)) for s in segments]) if segments else np.zeros(0)
    )
    levels = levels[levels > SILENT_DBFS]
    loud = len(levels) > 0
    pitch, pitch_spread = _pitch(_pitch_sample(pcm, segments, talk))
    return VoiceStats(
        speaker=speaker,
        talk_seconds=round(talk, 2),
        talk_share=round(talk / total_talk, 3) if total_talk else 0.0,
        words=words,
        words_per_minute=round(60 * words / talk, 1) if talk > 0 else None,
        loudness_db=round(float(10 * np.log10(np.mean(10 ** (levels / 10)))), 1) if loud else None,
        loudness_variation_db=round(float(np.std(levels)), 2) if loud else None,
        pitch_hz=pitch,
        pitch_variation_semitones=pitch_spread,
        text_sentiment=round(mean_compound([s.text for s in sentences(segments)]), 3),
    )


def meeting_voices(pcm: Samples, segments: list[Segment]) -> tuple[VoiceStats, list[VoiceStats]]:
    """Everyone together, then each speaker by talking time (only when speakers are known)."""
    total = sum(s.end - s.start for s in segments)
    by_speaker: dict[str, list[Segment]] = defaultdict(list)
    for segment in segments:
        if segment.speaker:
            by_speaker[segment.speaker].append(segment)
    speakers = [voice_stats(pcm, own, name, total) for name, own in by_speaker.items()]
    speakers.sort(key=lambda stats: -stats.talk_seconds)
    return voice_stats(pcm, segments, None, total), speakers
