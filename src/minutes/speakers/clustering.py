"""Group speech pieces into voices by agglomerative clustering of their embeddings."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy.cluster.hierarchy import fcluster, linkage

DISTANCE_THRESHOLD = 0.3
"""Average cosine distance above which two groups of pieces are different people.
On 1-5 s pieces resemblyzer gives ~0.2 on average within one voice and ~0.4 between voices."""
SMALL_VOICE_SHARE = 0.05
SMALL_VOICE_SECONDS = 30.0
"""A voice with less than this share of the speech (and under this many seconds) is most
likely a few noisy pieces of someone else: they join the nearest voice. Set the meeting's
`num_speakers` to keep every cluster."""


def cluster_voices(
    embeddings: npt.NDArray[np.float32],
    durations: npt.NDArray[np.float64],
    *,
    num_speakers: int | None = None,
    min_speakers: int | None = None,
    max_speakers: int | None = None,
    threshold: float = DISTANCE_THRESHOLD,
) -> npt.NDArray[np.int_]:
    """A speaker number per embedding, numbered in order of first appearance."""
    count = len(embeddings)
    if count == 0:
        return np.zeros(0, dtype=int)
    if count == 1:
        return np.zeros(1, dtype=int)
    tree = linkage(embeddings, method="average", metric="cosine")
    if num_speakers:
        raw = fcluster(tree, t=min(num_speakers, count), criterion="maxclust")
    else:
        raw = _absorb_small_voices(
            embeddings, durations, fcluster(tree, t=threshold, criterion="distance")
        )
        found = len(set(raw.tolist()))
        if max_speakers and found > max_speakers:
            raw = fcluster(tree, t=max_speakers, criterion="maxclust")
        elif min_speakers and found < min_speakers:
            raw = fcluster(tree, t=min(min_speakers, count), criterion="maxclust")
    return _by_first_appearance(raw)


def _absorb_small_voices(
    embeddings: npt.NDArray[np.float32],
    durations: npt.NDArray[np.float64],
    raw: npt.NDArray[np.int_],
) -> npt.NDArray[np.int_]:
    raw = raw.copy()
    limit = min(SMALL_VOICE_SHARE * float(durations.sum()), SMALL_VOICE_SECONDS)
    while True:
        voices = sorted(set(raw.tolist()))
        spoken = {k: float(durations[raw == k].sum()) for k in voices}
        smallest = min(voices, key=spoken.__getitem__)
        if len(voices) == 1 or spoken[smallest] >= limit:
            return raw
        others = [k for k in voices if k != smallest]
        centres = np.stack([embeddings[raw == k].mean(axis=0) for k in others])
        for index in np.flatnonzero(raw == smallest):
            raw[index] = others[nearest(embeddings[index], centres)]


def _by_first_appearance(raw: npt.NDArray[np.int_]) -> npt.NDArray[np.int_]:
    order: dict[int, int] = {}
    for value in raw:
        order.setdefault(int(value), len(order))
    return np.array([order[int(value)] for value in raw], dtype=int)


def centroids(
    embeddings: npt.NDArray[np.float32], labels: npt.NDArray[np.int_]
) -> npt.NDArray[np.float32]:
    """Unit-length mean embedding of each speaker number."""
    means = np.stack([embeddings[labels == k].mean(axis=0) for k in range(int(labels.max()) + 1)])
    unit: npt.NDArray[np.float32] = (means / np.linalg.norm(means, axis=1, keepdims=True)).astype(
        np.float32
    )
    return unit


def nearest(embedding: npt.NDArray[np.float32], centres: npt.NDArray[np.float32]) -> int:
    return int(np.argmax(centres @ embedding))
