"""The stages a meeting goes through, in order.

Adding a stage is one module exposing `STAGE` and one entry in `STAGES`.
"""

from __future__ import annotations

from typing import Any

from minutes.pipeline import analyze, diarize, index, ingest, summarize, transcribe
from minutes.pipeline.stage import Stage

STAGES: tuple[Stage[Any], ...] = (
    ingest.STAGE,
    transcribe.STAGE,
    diarize.STAGE,
    analyze.STAGE,
    summarize.STAGE,
    index.STAGE,
)


def stage_named(name: str) -> Stage[Any]:
    for stage in STAGES:
        if stage.name == name:
            return stage
    raise KeyError(f"no stage named {name!r}; stages are {', '.join(s.name for s in STAGES)}")


def next_stage(stage: Stage[Any]) -> Stage[Any] | None:
    index = STAGES.index(stage)
    return STAGES[index + 1] if index + 1 < len(STAGES) else None


def overall_progress(stage: Stage[Any], fraction: float) -> float:
    """Percent of the whole pipeline done when `stage` is `fraction` done."""
    total = sum(s.weight for s in STAGES)
    before = sum(s.weight for s in STAGES[: STAGES.index(stage)])
    return round(100 * (before + stage.weight * min(max(fraction, 0.0), 1.0)) / total, 1)
