"""Voice measurements on generated speech whose rate, pitch and level are known."""

from __future__ import annotations

import librosa
import numpy as np

from minutes.analysis.voice import meeting_voices
from minutes.audio import SAMPLE_RATE
from minutes.transcript import Segment
from tests.speech import ESPEAK_RATE, speak

TEXT = "We reviewed the quarterly numbers and agreed to hire two more engineers next month."


def said(speed: int, pitch: int, gain: float = 1.0) -> np.ndarray:
    samples = speak(TEXT, speed=speed, pitch=pitch) / 32768 * gain
    return librosa.resample(samples, orig_sr=ESPEAK_RATE, target_sr=SAMPLE_RATE).astype(np.float32)


def test_rate_pitch_loudness_and_share_per_speaker() -> None:
    slow_low = said(speed=120, pitch=20)
    fast_high = said(speed=220, pitch=80, gain=0.5)
    gap = np.zeros(SAMPLE_RATE // 2, dtype=np.float32)
    pcm = np.concatenate([slow_low, gap, fast_high])
    first_end = len(slow_low) / SAMPLE_RATE
    second_start = first_end + 0.5
    segments = [
        Segment(start=0, end=first_end, text=TEXT, speaker_label="SPEAKER_00"),
        Segment(
            start=second_start, end=len(pcm) / SAMPLE_RATE, text=TEXT, speaker_label="SPEAKER_01"
        ),
    ]
    everyone, (slow, fast) = meeting_voices(pcm, segments)

    words = len(TEXT.split())
    assert slow.speaker == "SPEAKER_00" and fast.speaker == "SPEAKER_01"
    assert slow.words == fast.words == words and everyone.words == 2 * words
    assert slow.talk_share + fast.talk_share == 1.0 and slow.talk_share > fast.talk_share
    assert slow.words_per_minute and fast.words_per_minute
    assert 90 < slow.words_per_minute < 160 < fast.words_per_minute < 280
    assert slow.pitch_hz and fast.pitch_hz and slow.pitch_hz < fast.pitch_hz
    assert slow.loudness_db and fast.loudness_db
    assert 4 < slow.loudness_db - fast.loudness_db < 8  # half the amplitude: about 6 dB
    assert everyone.speaker is None and everyone.talk_share == 1.0
