"""Scale-out: meetings per minute with 1, 2 and 4 worker processes on one Postgres.

    .venv/bin/python bench/workers.py [--workers 1 2 4] [--meetings 8]

Starts an embedded Postgres, then for each worker count starts that many `minutes worker`
processes (each with cores / workers threads), waits until every one has a heartbeat (so
model loading is not timed), queues the same short two-voice recording as `--meetings`
meetings at once, and times until all are completed. Prints meetings per minute and the
ratio to one worker. On a machine with few cores the ratio is bounded by the cores, not
by the queue: the point is that adding workers never loses or repeats work.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.speech import TWO_VOICES, dialogue  # noqa: E402

from minutes.db import connect  # noqa: E402
from minutes.db.embedded import start_embedded_postgres  # noqa: E402
from minutes.db.meetings import create_meeting  # noqa: E402
from minutes.db.migrate import migrate  # noqa: E402


def wait(url: str, query: str, until: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        with connect(url) as conn:
            row = conn.execute(query).fetchone()
        if row is not None and int(row["n"]) >= until:
            return
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for: {query}")
        time.sleep(0.2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--meetings", type=int, default=8)
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        recording = folder / "two-voices.wav"
        spoken = dialogue(TWO_VOICES, recording, gap=0.4)
        url = start_embedded_postgres(folder / "data")
        with connect(url) as conn:
            migrate(conn)
        print(f"{cores} cores; {args.meetings} meetings of {spoken[-1].end:.0f} s each per round")
        print(f"{'workers':>8}{'seconds':>9}{'meetings/min':>14}{'vs 1 worker':>13}")
        baseline = None
        for count in args.workers:
            env = {
                **os.environ,
                "MINUTES_DATABASE_URL": url,
                "MINUTES_DATA_DIR": str(folder / "data"),
                "MINUTES_MODEL_CACHE_DIR": str(REPO / ".minutes" / "models"),
                "MINUTES_SOURCE_ROOTS": str(folder),
                "MINUTES_CPU_THREADS": str(max(1, cores // count)),
                "MINUTES_LOG_LEVEL": "WARNING",
            }
            with connect(url) as conn:
                conn.execute("DELETE FROM procrastinate_workers")
            workers = [
                subprocess.Popen(
                    [str(REPO / ".venv" / "bin" / "minutes"), "worker"],
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
                for _ in range(count)
            ]
            try:
                wait(url, "SELECT count(*) AS n FROM procrastinate_workers", count, 120)
                with connect(url) as conn:
                    ids = [
                        create_meeting(
                            conn, audio_url=str(recording), title=f"{count}-{i}", options={}
                        ).id
                        for i in range(args.meetings)
                    ]
                started = time.perf_counter()
                wait(
                    url,
                    "SELECT count(*) AS n FROM meetings WHERE status = 'completed'"
                    f" AND title LIKE '{count}-%'",
                    len(ids),
                    1800,
                )
                seconds = time.perf_counter() - started
            finally:
                for worker in workers:
                    worker.terminate()
                for worker in workers:
                    worker.wait(60)
            rate = 60 * len(ids) / seconds
            baseline = baseline or rate
            print(f"{count:>8}{seconds:>9.1f}{rate:>14.2f}{rate / baseline:>13.2f}")


if __name__ == "__main__":
    main()
