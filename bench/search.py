"""Search latency over many meetings, with and without the HNSW vector index.

    .venv/bin/python bench/search.py [--meetings 2000] [--queries 100]

Fills a fresh embedded Postgres with synthetic meetings (sentences drawn from a pool of
workplace phrases, embedded with the bundled MiniLM like the index stage does), then times
`minutes.db.chunks.search` (hybrid vector + full text, reciprocal rank fusion) for paraphrase
queries, first with the HNSW index and then after dropping it (exact scan). Prints p50/p95.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from minutes.db import connect  # noqa: E402
from minutes.db.chunks import replace_chunks, search  # noqa: E402
from minutes.db.embedded import start_embedded_postgres  # noqa: E402
from minutes.db.migrate import migrate  # noqa: E402
from minutes.search.chunks import Chunk  # noqa: E402
from minutes.summary.extractive import TextEncoder  # noqa: E402

SUBJECTS = ["the billing migration", "the mobile release", "the hiring plan", "the budget review",
            "the support queue", "the vendor contract", "the marketing campaign", "the data pipeline",
            "the security audit", "the onboarding flow", "the office move", "the quarterly report"]  # fmt: skip
VERBS = ["is blocked on", "needs a decision about", "will be finished after", "depends on",
         "was delayed by", "should be reviewed with", "is going well thanks to", "costs more than"]  # fmt: skip
QUERIES = ["who is looking after the payment changes", "is the app launch late",
           "how many engineers are we recruiting", "what did finance say about spending",
           "are customers waiting too long for help", "which supplier did we pick"]  # fmt: skip


def percentile(samples: list[float], q: float) -> float:
    return float(np.percentile(samples, q) * 1000)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--meetings", type=int, default=2000)
    parser.add_argument("--chunks", type=int, default=12, help="chunks per meeting")
    parser.add_argument("--queries", type=int, default=100)
    args = parser.parse_args()
    rng = random.Random(7)
    encoder = TextEncoder.load()

    pool = [
        f"{s.capitalize()} {v} {o}." for s in SUBJECTS for v in VERBS for o in SUBJECTS if s != o
    ]
    started = time.perf_counter()
    vectors = dict(zip(pool, encoder.embed(pool), strict=True))
    print(f"embedded {len(pool)} distinct sentences in {time.perf_counter() - started:.1f} s")

    url = start_embedded_postgres(Path(tempfile.mkdtemp(prefix="minutes-search-")))
    with connect(url) as conn:
        migrate(conn)
        conn.execute("ALTER TABLE meetings DISABLE TRIGGER meetings_queue")  # no jobs needed
        started = time.perf_counter()
        for number in range(args.meetings):
            row = conn.execute(
                "INSERT INTO meetings (title, status) VALUES (%s, 'completed') RETURNING id",
                (f"meeting {number}",),
            ).fetchone()
            assert row is not None
            texts = rng.sample(pool, args.chunks)
            chunks = [
                Chunk(start=i * 30.0, end=i * 30.0 + 25, speaker=f"SPEAKER_0{i % 3}", text=text)
                for i, text in enumerate(texts)
            ]
            with conn.transaction():
                replace_chunks(conn, row["id"], chunks, np.stack([vectors[t] for t in texts]))
        total = args.meetings * args.chunks
        print(
            f"indexed {args.meetings} meetings, {total} chunks in "
            f"{time.perf_counter() - started:.1f} s"
        )
        conn.execute("ANALYZE transcript_chunks")

        queries = [rng.choice(QUERIES) for _ in range(args.queries)]
        query_vectors = {q: encoder.embed([q])[0] for q in set(queries)}

        def timed() -> list[float]:
            search(conn, queries[0], query_vectors[queries[0]])  # warm the cache
            samples = []
            for query in queries:
                started = time.perf_counter()
                search(conn, query, query_vectors[query])
                samples.append(time.perf_counter() - started)
            return samples

        with_index = timed()
        conn.execute("DROP INDEX transcript_chunks_embedding_idx")
        without_index = timed()
    print(f"{'':<26}{'p50 ms':>8}{'p95 ms':>8}")
    for name, samples in (("with HNSW index", with_index), ("without (exact scan)", without_index)):
        print(f"{name:<26}{percentile(samples, 50):>8.1f}{percentile(samples, 95):>8.1f}")


if __name__ == "__main__":
    main()
