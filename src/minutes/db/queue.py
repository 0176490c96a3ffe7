"""The job queue as operators see it: counts, waiting age, live workers, cleaning, cancelling."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from minutes.db import Connection


def queue_stats(conn: Connection, alive_within_seconds: float) -> dict[str, Any]:
    counts = conn.execute(
        "SELECT queue_name AS queue, status::text AS status, count(*) AS jobs"
        " FROM procrastinate_jobs GROUP BY 1, 2 ORDER BY 1, 2"
    ).fetchall()
    by_queue: dict[str, dict[str, int]] = {}
    for row in counts:
        by_queue.setdefault(row["queue"], {})[row["status"]] = row["jobs"]
    oldest = conn.execute(
        "SELECT extract(epoch FROM now() - min(coalesce(j.scheduled_at, e.at))) AS age"
        " FROM procrastinate_jobs j JOIN procrastinate_events e"
        " ON e.job_id = j.id AND e.type = 'deferred' WHERE j.status = 'todo'"
    ).fetchone()
    workers = conn.execute(
        "SELECT count(*) AS alive FROM procrastinate_workers"
        " WHERE last_heartbeat > now() - make_interval(secs => %s)",
        (alive_within_seconds,),
    ).fetchone()
    return {
        "queues": by_queue,
        "oldest_waiting_seconds": round(float(oldest["age"]), 1)
        if oldest and oldest["age"] is not None
        else None,
        "workers_alive": int(workers["alive"]) if workers else 0,
    }


def clean_finished_jobs(conn: Connection, older_than_days: float) -> int:
    """Delete succeeded, failed, cancelled and aborted jobs last touched before the cut-off."""
    row = conn.execute(
        "WITH old AS (SELECT j.id FROM procrastinate_jobs j"
        " WHERE j.status IN ('succeeded', 'failed', 'cancelled', 'aborted')"
        " AND coalesce((SELECT max(at) FROM procrastinate_events e WHERE e.job_id = j.id),"
        " now()) < now() - make_interval(days => 0, secs => %s)),"
        " gone AS (DELETE FROM procrastinate_jobs WHERE id IN (SELECT id FROM old) RETURNING 1)"
        " SELECT count(*) AS removed FROM gone",
        (older_than_days * 86400,),
    ).fetchone()
    return int(row["removed"]) if row else 0


def cancel_jobs(conn: Connection, meeting_id: UUID) -> tuple[int, int]:
    """Cancel the meeting's waiting jobs and ask running ones to stop: (waiting, running)."""
    rows = conn.execute(
        "SELECT status::text AS status, procrastinate_cancel_job_v1(id, true, false) AS id"
        " FROM procrastinate_jobs WHERE args->>'meeting_id' = %s AND status IN ('todo', 'doing')",
        (str(meeting_id),),
    ).fetchall()
    waiting = sum(1 for row in rows if row["status"] == "todo" and row["id"] is not None)
    running = sum(1 for row in rows if row["status"] == "doing" and row["id"] is not None)
    return waiting, running
