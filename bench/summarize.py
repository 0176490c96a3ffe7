"""Summarizer cost: seconds per hour of transcript for each backend.

    .venv/bin/python bench/summarize.py [--hours 1] [--llm-hours 0.25]

Builds synthetic three-speaker meeting text (~150 words a minute, as people speak) with
commitments and decisions sprinkled in, and times
- the offline extractive backend (sentence embeddings, centrality, topics, actions,
  sentiment) on `--hours`, model loaded once;
- the LLM backend on `--llm-hours` (map-reduce over 1,200-word chunks), talking over HTTP
  to llama-cpp-python's server with the bundled Qwen2.5-0.5B-Instruct Q4_K_M on this
  machine's CPU, started here on 127.0.0.1 (`make llm` installs it). A shorter slice keeps
  the run short; seconds per hour are scaled from it. `--llm-hours 0` skips it.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.llm_server import llama_server  # noqa: E402
from tests.speech import TEAM_SYNC, THREE_VOICES, TWO_VOICES  # noqa: E402

from minutes.config import Settings  # noqa: E402
from minutes.summary.extractive import TextEncoder, summarize  # noqa: E402
from minutes.summary.llm import summarize_with_llm  # noqa: E402
from minutes.summary.model import MeetingSummary, Sentence  # noqa: E402

WORDS_PER_MINUTE = 150


def transcript(hours: float) -> list[Sentence]:
    rng = random.Random(3)
    lines = [turn.text for turn in TEAM_SYNC + TWO_VOICES + THREE_VOICES]
    sentences: list[Sentence] = []
    clock = 0.0
    while clock < hours * 3600:
        text = rng.choice(lines)
        seconds = len(text.split()) * 60 / WORDS_PER_MINUTE
        speaker = f"SPEAKER_0{rng.randrange(3)}"
        sentences.append(Sentence(text=text, start=clock, end=clock + seconds, speaker=speaker))
        clock += seconds + 0.5
    return sentences


def row(summary: MeetingSummary, sentences: list[Sentence], seconds: float) -> None:
    hours = sentences[-1].end / 3600
    words = sum(len(s.text.split()) for s in sentences)
    print(
        f"{summary.model_used:<34}{hours:>7.2f}{words:>8}{seconds:>9.1f}{seconds / hours:>12.1f}"
        f"{len(summary.action_items):>9}{len(summary.topics):>8}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hours", type=float, default=1.0)
    parser.add_argument("--llm-hours", type=float, default=0.25)
    args = parser.parse_args()
    print(
        f"{'backend':<34}{'hours':>7}{'words':>8}{'seconds':>9}{'s per hour':>12}{'actions':>9}{'topics':>8}"
    )

    sentences = transcript(args.hours)
    encoder = TextEncoder.load()
    started = time.perf_counter()
    row(summarize(sentences, encoder), sentences, time.perf_counter() - started)

    if args.llm_hours <= 0:
        return
    sentences = transcript(args.llm_hours)
    with tempfile.TemporaryDirectory() as scratch:
        models = REPO / ".minutes" / "models"
        with llama_server(models, Path(scratch) / "llama.log") as server:
            settings = Settings(
                data_dir=Path(scratch),
                llm_base_url=server.base_url,
                llm_model="qwen2.5-0.5b-instruct",
                llm_response_format="json_object",
            )
            started = time.perf_counter()
            summary = summarize_with_llm(sentences, settings)
            row(summary, sentences, time.perf_counter() - started)
            print(f"LLM requests: {server.completions()} (map and reduce)")


if __name__ == "__main__":
    main()
