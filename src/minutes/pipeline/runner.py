"""Run one stage of one meeting: keep its status current, save, queue the next stage.

This is the queue-agnostic half of a job; `minutes.jobs` wraps it in a procrastinate task.
"""

from __future__ import annotations

import errno
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import psycopg
import structlog
from psycopg_pool import ConnectionPool

from minutes.config import Settings
from minutes.db import Connection
from minutes.db import meetings as store
from minutes.errors import BadInput, TransientError
from minutes.pipeline import next_stage, overall_progress
from minutes.pipeline.stage import Stage, StageContext

log = structlog.get_logger(__name__)

RETRYABLE: tuple[type[Exception], ...] = (TransientError, psycopg.OperationalError)
"""Errors worth another try with backoff; anything else fails the meeting at once."""

PROGRESS_INTERVAL_SECONDS = 1.0


class DiskFull(TransientError):
    """The disk ran out mid-stage; partial files are gone, and space may come back."""


class StageAborted(Exception):
    """The worker asked the stage to stop: `reason` is "shutdown" (released, to be retried)
    or "cancelled"."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"stopped: {reason}")
        self.reason = reason


@dataclass(frozen=True)
class Attempt:
    number: int
    """0 for the first try."""
    last: bool
    stop_reason: Callable[[], str | None] = lambda: None
    """Polled between units of work; a reason means stop now."""


def run_stage(
    stage: Stage[Any],
    meeting_id: UUID,
    *,
    pool: ConnectionPool[Connection],
    settings: Settings,
    worker: str,
    attempt: Attempt,
) -> None:
    bound = log.bind(meeting_id=str(meeting_id), stage=stage.name, attempt=attempt.number)
    with pool.connection() as conn:
        meeting = store.get_meeting(conn, meeting_id)
        if meeting is None or meeting.finished:
            bound.info("stage.skipped", reason="meeting deleted or finished")
            return
        store.start_stage(conn, meeting_id, stage.name, worker, overall_progress(stage, 0))
        store.add_event(conn, meeting_id, "stage.started", stage.name, {"worker": worker})
    started = time.monotonic()
    try:
        bound.info("stage.started")
        report = _ProgressReporter(pool, meeting_id, stage, attempt.stop_reason)
        output = stage.compute(StageContext(meeting, settings, report, pool.connection))
        following = next_stage(stage)
        with pool.connection() as conn, conn.transaction():
            stage.save(conn, meeting, output)
            if following is None:
                store.complete_meeting(conn, meeting_id)
            else:
                store.queue_stage(conn, meeting_id, following.name, following.queue)
                store.set_progress(conn, meeting_id, overall_progress(stage, 1))
            seconds = round(time.monotonic() - started, 3)
            store.add_event(conn, meeting_id, "stage.completed", stage.name, {"seconds": seconds})
            if following is None:
                store.add_event(conn, meeting_id, "meeting.completed", None)
        bound.info("stage.completed", seconds=seconds)
    except OSError as error:
        if error.errno != errno.ENOSPC:
            _record_failure(pool, meeting_id, stage, attempt, error, bound)
            raise
        full = DiskFull(
            f"no space left on the disk holding {error.filename or settings.data_dir}; "
            "free space or point MINUTES_DATA_DIR / MINUTES_MODEL_CACHE_DIR at a larger disk"
        )
        _record_failure(pool, meeting_id, stage, attempt, full, bound)
        raise full from error
    except Exception as error:
        _record_failure(pool, meeting_id, stage, attempt, error, bound)
        raise


def _record_failure(
    pool: ConnectionPool[Connection],
    meeting_id: UUID,
    stage: Stage[Any],
    attempt: Attempt,
    error: Exception,
    bound: Any,
) -> None:
    """Mark the meeting failed, or note that the stage will be tried again."""
    released = isinstance(error, StageAborted) and error.reason == "shutdown"
    will_retry = (released or isinstance(error, RETRYABLE)) and not attempt.last
    if isinstance(error, BadInput | StageAborted):
        reason = str(error)
    elif isinstance(error, RETRYABLE):
        reason = f"{error} (after {attempt.number + 1} attempts)"
    else:
        reason = f"internal error: {type(error).__name__}: {error}"
    try:
        with pool.connection() as conn, conn.transaction():
            if will_retry:
                kind = "stage.released" if released else "stage.retrying"
                store.add_event(conn, meeting_id, kind, stage.name, {"error": str(error)})
            else:
                store.fail_meeting(conn, meeting_id, f"{stage.name}: {reason}")
                store.add_event(conn, meeting_id, "meeting.failed", stage.name, {"error": reason})
    except psycopg.Error as db_error:
        bound.error("stage.failure_not_recorded", error=str(db_error))
    if will_retry:
        bound.warning("stage.will_retry", error=str(error))
    else:
        bound.error("stage.failed", error=reason, exc_info=not isinstance(error, BadInput))


class _ProgressReporter:
    """Writes progress at most once a second and turns a stop request into StageAborted."""

    def __init__(
        self,
        pool: ConnectionPool[Connection],
        meeting_id: UUID,
        stage: Stage[Any],
        stop_reason: Callable[[], str | None],
    ) -> None:
        self._pool, self._meeting_id, self._stage = pool, meeting_id, stage
        self._stop_reason = stop_reason
        self._last_write = 0.0

    def __call__(self, fraction: float) -> None:
        reason = self._stop_reason()
        if reason:
            raise StageAborted(reason)
        now = time.monotonic()
        if now - self._last_write < PROGRESS_INTERVAL_SECONDS:
            return
        self._last_write = now
        try:
            with self._pool.connection() as conn:
                store.set_progress(conn, self._meeting_id, overall_progress(self._stage, fraction))
        except psycopg.Error as error:  # progress is best effort; the result is what counts
            log.warning("progress.not_saved", meeting_id=str(self._meeting_id), error=str(error))
