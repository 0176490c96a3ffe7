"""What a pipeline stage is: a computation on a meeting plus how its result is saved."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Generic, TypeVar

from minutes.config import Settings
from minutes.db import Connection
from minutes.db.meetings import Meeting

Output = TypeVar("Output")


@dataclass(frozen=True)
class StageContext:
    meeting: Meeting
    settings: Settings
    report_progress: Callable[[float], None]
    """Call with the fraction of this stage done; it raises StageAborted when asked to stop."""
    connection: Callable[[], AbstractContextManager[Connection]]
    """A database connection for reading what earlier stages saved."""


@dataclass(frozen=True)
class Stage(Generic[Output]):
    """One step of the pipeline.

    `compute` does the slow work outside any transaction; `save` writes its output and must
    replace whatever an earlier run of the same stage wrote, because a stage may run more
    than once (at-least-once delivery). The runner calls `save` in the same transaction that
    queues the next stage.
    """

    name: str
    queue: str
    weight: float
    """Share of the whole pipeline's progress bar, in percent."""
    compute: Callable[[StageContext], Output]
    save: Callable[[Connection, Meeting, Output], None]
