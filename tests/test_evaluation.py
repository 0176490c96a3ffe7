from __future__ import annotations

import pytest

from minutes.evaluation import diarization_error_rate

REFERENCE = [("ana", 0.0, 10.0), ("bo", 10.0, 20.0)]


def test_a_perfect_answer_scores_zero_whatever_the_labels() -> None:
    assert diarization_error_rate(REFERENCE, [("x", 0.0, 10.0), ("y", 10.0, 20.0)]) == 0.0


def test_one_label_for_everyone_confuses_half() -> None:
    # collar 0: 20 s of speech, 10 s given to the wrong person
    assert diarization_error_rate(REFERENCE, [("x", 0.0, 20.0)], collar=0) == pytest.approx(0.5)


def test_missed_speech_and_false_alarm() -> None:
    assert diarization_error_rate(REFERENCE, [], collar=0) == pytest.approx(1.0)
    hypothesis = [("x", 0.0, 10.0), ("y", 10.0, 20.0), ("z", 20.0, 25.0)]
    assert diarization_error_rate(REFERENCE, hypothesis, collar=0) == pytest.approx(5 / 20)


def test_the_collar_forgives_boundaries() -> None:
    late = [("x", 0.2, 10.2), ("y", 10.2, 20.0)]
    assert diarization_error_rate(REFERENCE, late, collar=0) == pytest.approx(0.4 / 20)
    assert diarization_error_rate(REFERENCE, late, collar=0.25) == 0.0


def test_mapping_is_one_to_one() -> None:
    # a third hypothesis speaker cannot also map to ana
    hypothesis = [("x", 0.0, 5.0), ("z", 5.0, 10.0), ("y", 10.0, 20.0)]
    assert diarization_error_rate(REFERENCE, hypothesis, collar=0) == pytest.approx(5 / 20)
