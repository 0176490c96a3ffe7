"""The job queue: one procrastinate task per pipeline stage, retries, and the worker loop.

Delivery is at-least-once: a stage may run again after a crash or a retry, which is why
every stage replaces its own output. Per meeting, the job lock `meeting:<id>` lets only
one stage run at a time, on any worker.
"""

from __future__ import annotations

import asyncio
import os
import socket
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

import structlog
from procrastinate import App, JobContext, PsycopgConnector, RetryStrategy
from procrastinate.exceptions import JobAborted
from procrastinate.job_context import AbortReason
from psycopg_pool import ConnectionPool

from minutes.config import Settings
from minutes.db import Connection, open_pool
from minutes.pipeline import STAGES
from minutes.pipeline.runner import RETRYABLE, Attempt, StageAborted, run_stage
from minutes.pipeline.stage import Stage
from minutes.webhooks.delivery import deliver_due

log = structlog.get_logger(__name__)

QUEUES = tuple(dict.fromkeys(stage.queue for stage in STAGES))
WEBHOOK_SWEEP_SECONDS = 1.0


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


@dataclass
class Resources:
    """What tasks share inside one worker process: settings and a lazily opened pool."""

    settings: Settings
    database_url: str
    _pool: ConnectionPool[Connection] | None = field(default=None, init=False)

    @property
    def pool(self) -> ConnectionPool[Connection]:
        if self._pool is None:
            self._pool = open_pool(self.database_url)
        return self._pool

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool = None


def create_app(settings: Settings, database_url: str) -> tuple[App, Resources]:
    app = App(connector=PsycopgConnector(conninfo=database_url))
    resources = Resources(settings, database_url)
    retry = RetryStrategy(
        max_attempts=settings.max_attempts - 1,
        exponential_wait=settings.retry_base_seconds,
        retry_exceptions={*RETRYABLE, JobAborted},
    )
    for stage in STAGES:
        app.task(name=stage.name, queue=stage.queue, pass_context=True, retry=retry)(
            _stage_task(stage, resources)
        )
    return app, resources


def _stage_task(stage: Stage[Any], resources: Resources) -> Any:
    def task(context: JobContext, meeting_id: str) -> None:
        attempts = context.job.attempts
        try:
            run_stage(
                stage,
                UUID(meeting_id),
                pool=resources.pool,
                settings=resources.settings,
                worker=worker_id(),
                attempt=Attempt(
                    number=attempts,
                    last=attempts + 1 >= resources.settings.max_attempts,
                    stop_reason=lambda: _stop_reason(context),
                ),
            )
        except StageAborted as error:
            raise JobAborted(str(error)) from error

    task.__name__ = f"{stage.name}_task"
    return task


def _stop_reason(context: JobContext) -> str | None:
    if not context.should_abort():
        return None
    return "shutdown" if context.abort_reason() == AbortReason.SHUTDOWN else "cancelled"


async def recover_stalled_jobs(app: App, settings: Settings) -> list[int]:
    """Put back to `todo` the jobs of workers whose heartbeat stopped (crashed, killed)."""
    stalled = await app.job_manager.get_stalled_jobs(
        seconds_since_heartbeat=settings.stalled_after_seconds
    )
    recovered = []
    for job in stalled:
        assert job.id is not None
        await app.job_manager.retry_job(job)
        recovered.append(job.id)
        log.warning("job.recovered", job_id=job.id, task=job.task_name, args=job.task_kwargs)
    return recovered


async def _keep_recovering(app: App, settings: Settings) -> None:
    """Every worker runs this, so recovery itself has no single process that can stall."""
    while True:
        try:
            await recover_stalled_jobs(app, settings)
        except Exception as error:  # a failed sweep is retried on the next beat
            log.warning("recovery.failed", error=str(error))
        await asyncio.sleep(settings.heartbeat_seconds)


async def _keep_delivering_webhooks(resources: Resources) -> None:
    """The outbox is swept by every worker beside its jobs, so no stage waits on a receiver."""

    def sweep() -> int:
        with resources.pool.connection() as conn:
            return deliver_due(conn, resources.settings)

    while True:
        try:
            sent = await asyncio.to_thread(sweep)
        except Exception as error:  # a failed sweep is retried on the next one
            log.warning("webhooks.sweep_failed", error=str(error))
            sent = 0
        if not sent:
            await asyncio.sleep(WEBHOOK_SWEEP_SECONDS)


async def run_worker(
    app: App,
    settings: Settings,
    *,
    resources: Resources | None = None,
    queues: list[str] | None = None,
    concurrency: int = 1,
    once: bool = False,
    install_signal_handlers: bool = True,
) -> None:
    """Process jobs until stopped (SIGTERM/SIGINT: running jobs get the shutdown timeout
    to finish, then are released for another worker), or until idle when `once`."""
    loops = [asyncio.create_task(_keep_recovering(app, settings))]
    if resources is not None:
        loops.append(asyncio.create_task(_keep_delivering_webhooks(resources)))
    try:
        await app.run_worker_async(
            queues=queues or list(QUEUES),
            concurrency=concurrency,
            wait=not once,
            name=worker_id(),
            install_signal_handlers=install_signal_handlers,
            update_heartbeat_interval=settings.heartbeat_seconds,
            stalled_worker_timeout=settings.stalled_after_seconds,
            shutdown_graceful_timeout=settings.shutdown_timeout_seconds,
            delete_jobs="successful",
        )
    finally:
        for loop in loops:
            loop.cancel()
