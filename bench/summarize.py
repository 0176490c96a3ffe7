"""Summarizer cost: seconds per hour of transcript for each available backend.

    .venv/bin/python bench/summarize.py [--hours 1]

Builds an hour of synthetic two-speaker meeting text (~150 words a minute, as people
speak) with commitments and decisions sprinkled in, and times the offline extractive
backend (sentence embeddings, centrality, topics, actions, sentiment), model loaded once.
The LLM backend is not built yet (issue 4), so it has no row.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.speech import TEAM_SYNC, THREE_VOICES, TWO_VOICES  # noqa: E402

from minutes.summary.extractive import TextEncoder, summarize  # noqa: E402
from minutes.summary.model import Sentence  # noqa: E402

WORDS_PER_MINUTE = 150


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hours", type=float, default=1.0)
    args = parser.parse_args()
    rng = random.Random(3)
    lines = [turn.text for turn in TEAM_SYNC + TWO_VOICES + THREE_VOICES]
    sentences, clock, words = [], 0.0, 0
    while clock < args.hours * 3600:
        text = rng.choice(lines)
        seconds = len(text.split()) * 60 / WORDS_PER_MINUTE
        speaker = f"SPEAKER_0{rng.randrange(3)}"
        sentences.append(Sentence(text=text, start=clock, end=clock + seconds, speaker=speaker))
        clock += seconds + 0.5
        words += len(text.split())

    started = time.perf_counter()
    encoder = TextEncoder.load()
    load = time.perf_counter() - started
    started = time.perf_counter()
    summary = summarize(sentences, encoder)
    seconds = time.perf_counter() - started
    hours = clock / 3600
    print(
        f"transcript: {hours:.2f} h, {len(sentences)} sentences, {words} words; model load {load:.1f} s"
    )
    print(f"{'backend':<34}{'seconds':>9}{'s per hour':>12}{'actions':>9}{'topics':>8}")
    print(
        f"{summary.model_used:<34}{seconds:>9.1f}{seconds / hours:>12.1f}"
        f"{len(summary.action_items):>9}{len(summary.topics):>8}"
    )


if __name__ == "__main__":
    main()
