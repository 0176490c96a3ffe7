"""Speaker clustering on many pieces: seconds of `cluster_voices` as recordings get longer.

    .venv/bin/python bench/clustering.py [--pieces 1000 2000 4000]

A 3-hour meeting gives a few thousand pieces. Synthetic embeddings: five voices plus
strong noise, so the first, deliberately low cut splits them into many small groups,
which is the expensive case for the absorb/merge step.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from minutes.speakers.clustering import cluster_voices


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pieces", type=int, nargs="+", default=[1000, 2000, 4000])
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    print(f"{'pieces':>8}{'seconds':>10}{'voices':>8}")
    for count in args.pieces:
        voices = rng.standard_normal((5, 256)).astype(np.float32)
        noise = 0.9 * rng.standard_normal((count, 256)).astype(np.float32)
        embeddings = voices[rng.integers(0, 5, count)] + noise
        embeddings /= np.linalg.norm(embeddings, axis=1, keepdims=True)
        started = time.perf_counter()
        labels = cluster_voices(embeddings, rng.uniform(1, 5, count))
        seconds = time.perf_counter() - started
        print(f"{count:>8}{seconds:>10.2f}{len(set(labels.tolist())):>8}")


if __name__ == "__main__":
    main()
