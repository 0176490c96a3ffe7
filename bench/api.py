"""API under load: requests/s and latency of list, status and search while a worker works.

    .venv/bin/python bench/api.py [--seconds 20] [--clients 8]

Starts an embedded Postgres, `minutes serve` and one `minutes worker` as separate
processes on 127.0.0.1, queues four meetings for the worker, then `--clients` threads
call GET /meetings, GET /meetings/{id} and GET /search in turn for `--seconds` (bounded,
loopback only). Prints requests per second, p50/p99 latency per endpoint and the error
count (target: none).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.loopback import free_port, wait_until_answering  # noqa: E402

from minutes.db import connect  # noqa: E402
from minutes.db.api_keys import create_key  # noqa: E402
from minutes.db.embedded import start_embedded_postgres  # noqa: E402
from minutes.db.migrate import migrate  # noqa: E402

SAMPLE = REPO / "samples" / "team-sync.flac"
QUERIES = ["who sends the contract to legal", "vendor decision", "hiring an engineer"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        url = start_embedded_postgres(folder / "data")
        with connect(url) as conn:
            migrate(conn)
            key = create_key(conn, "bench")[1]
        port = free_port()
        env = {
            **os.environ,
            "MINUTES_DATABASE_URL": url,
            "MINUTES_DATA_DIR": str(folder / "data"),
            "MINUTES_MODEL_CACHE_DIR": str(REPO / ".minutes" / "models"),
            "MINUTES_SOURCE_ROOTS": str(REPO / "samples"),
            "MINUTES_LOG_LEVEL": "WARNING",
        }
        minutes = str(REPO / ".venv" / "bin" / "minutes")
        processes = [
            subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for command in ([minutes, "serve", "--port", str(port)], [minutes, "worker"])
        ]
        base = f"http://127.0.0.1:{port}"
        headers = {"Authorization": f"Bearer {key}"}
        try:
            wait_until_answering(f"{base}/health", 60, processes[0])
            with httpx.Client(base_url=base, headers=headers, timeout=60) as client:
                ids = [
                    client.post(
                        "/meetings", json={"audio_url": str(SAMPLE), "title": f"m{i}"}
                    ).json()["meeting"]["id"]
                    for i in range(4)
                ]
                client.get("/search", params={"q": "warm up"})  # loads the text model once
            latencies: dict[str, list[float]] = {"list": [], "status": [], "search": []}
            errors: list[str] = []
            lock = threading.Lock()
            stop = time.monotonic() + args.seconds

            def client_loop(number: int) -> None:
                calls = [
                    ("list", "/meetings", {}),
                    ("status", f"/meetings/{ids[number % len(ids)]}", {}),
                    ("search", "/search", {"q": QUERIES[number % len(QUERIES)]}),
                ]
                with httpx.Client(base_url=base, headers=headers, timeout=30) as client:
                    turn = 0
                    while time.monotonic() < stop:
                        name, path, params = calls[turn % len(calls)]
                        turn += 1
                        started = time.perf_counter()
                        try:
                            status = client.get(path, params=params).status_code
                        except httpx.HTTPError as error:
                            status, detail = 0, repr(error)
                        else:
                            detail = f"HTTP {status}"
                        took = time.perf_counter() - started
                        with lock:
                            if status == 200:
                                latencies[name].append(took)
                            else:
                                errors.append(f"{name}: {detail}")

            threads = [threading.Thread(target=client_loop, args=(n,)) for n in range(args.clients)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            with connect(url) as conn:
                row = conn.execute(
                    "SELECT count(*) AS n FROM meetings WHERE status = 'completed'"
                ).fetchone()
            done = row["n"] if row else 0
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                process.wait(60)
        total = sum(len(values) for values in latencies.values())
        print(
            f"{args.clients} clients for {args.seconds:.0f} s on loopback; worker completed {done} of 4 meetings meanwhile"
        )
        print(f"{'endpoint':<10}{'requests':>10}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}")
        for name, values in latencies.items():
            if values:
                ordered = sorted(values)
                p99 = ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]
                print(
                    f"{name:<10}{len(values):>10}{len(values) / args.seconds:>9.1f}"
                    f"{1000 * statistics.median(ordered):>9.1f}{1000 * p99:>9.1f}"
                )
        print(f"all: {total / args.seconds:.1f} requests/s, {len(errors)} errors {errors[:3]}")


if __name__ == "__main__":
    main()
