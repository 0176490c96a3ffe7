"""Diarization cost and accuracy: time as a fraction of transcription, and DER.

    .venv/bin/python bench/diarize.py [--minutes 5.5]

On a ≥ 5-minute three-voice espeak-ng meeting, times transcription (faster-whisper base,
beam 5, the pipeline's options) and diarization (the diarize stage's function: pieces,
resemblyzer embeddings, clustering) with both models already loaded, and prints the ratio
(target ≤ 0.25). Then prints DER (collar 0.25 s) and the speaker count on that meeting and
on the two-, three- and one-voice test fixtures.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.speech import TEAM_SYNC, THREE_VOICES, TWO_VOICES, Turn, dialogue  # noqa: E402

from minutes import audio  # noqa: E402
from minutes.config import Settings  # noqa: E402
from minutes.evaluation import diarization_error_rate  # noqa: E402
from minutes.pipeline.diarize import diarize_transcript  # noqa: E402
from minutes.pipeline.transcribe import load_model, transcribe_pcm  # noqa: E402
from minutes.speakers.encoder import load_encoder  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=5.5)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="minutes-diarize-"))
    settings = Settings(model_cache_dir=work / "models")

    started = time.perf_counter()
    model = load_model(settings)
    whisper_load = time.perf_counter() - started
    started = time.perf_counter()
    encoder = load_encoder()
    encoder_load = time.perf_counter() - started

    one_pass = dialogue(THREE_VOICES, work / "pass.wav", gap=0.4)[-1].end + 0.4
    repeats = max(1, round(args.minutes * 60 / one_pass + 0.5))
    fixtures = {
        f"3 voices x{repeats} (long)": THREE_VOICES * repeats,
        "2 voices (test fixture)": TWO_VOICES,
        "3 voices (test fixture)": THREE_VOICES,
        "2 voices (demo sample)": TEAM_SYNC,
        "1 voice": [Turn("en-us", turn.text) for turn in TWO_VOICES],
    }
    print(
        f"model base, beam 5, cpu int8, {os.cpu_count()} cores; load: whisper "
        f"{whisper_load:.1f} s, speaker encoder {encoder_load:.1f} s (once per worker)"
    )
    print(
        f"{'recording':<28}{'audio s':>8}{'asr s':>8}{'diarize s':>10}{'ratio':>7}"
        f"{'DER':>7}{'speakers':>10}"
    )
    for name, turns in fixtures.items():
        path = work / "recording.wav"
        spoken = dialogue(turns, path, gap=0.4)
        pcm = audio.load_pcm(path)
        started = time.perf_counter()
        transcript = transcribe_pcm(model, pcm, language=None, beam_size=5)
        asr = time.perf_counter() - started
        started = time.perf_counter()
        result = diarize_transcript(pcm, transcript.segments, encoder, {})
        diarization = time.perf_counter() - started
        reference = [(turn.speaker, turn.start, turn.end) for turn in spoken]
        hypothesis = [(s.speaker_label or "?", s.start, s.end) for s in result.segments]
        der = diarization_error_rate(reference, hypothesis, collar=0.25)
        found = len(result.voices)
        expected = len({turn.speaker for turn in spoken})
        print(
            f"{name:<28}{len(pcm) / audio.SAMPLE_RATE:>8.1f}{asr:>8.1f}{diarization:>10.2f}"
            f"{diarization / asr:>7.3f}{der:>7.3f}{f'{found} of {expected}':>10}"
        )


if __name__ == "__main__":
    main()
