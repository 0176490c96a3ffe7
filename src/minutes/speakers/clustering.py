"""Group speech pieces into voices.

Two steps, because one piece's embedding is noisy and a whole voice's mean is not:
1. agglomerative clustering (average linkage, cosine) cut low, so that pieces of two
   people almost never share a group, even if one person's pieces fall into several;
2. then, repeatedly, a group with too little speech to stand on its own joins its
   nearest group, and the two groups whose mean voices are most alike merge while they
   are alike enough to be one person.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy.cluster.hierarchy import fcluster, linkage

Vectors = npt.NDArray[np.float32]
Labels = npt.NDArray[np.int_]

OVERSPLIT_DISTANCE = 0.2
"""Cut of step 1. On 1-5 s pieces resemblyzer gives ~0.1-0.2 within a voice."""
SAME_VOICE_SIMILARITY = 0.86
"""Mean voices this alike (cosine) are one person. On espeak-ng voices measured here, one
voice's groups were 0.84-0.95 alike and two people's 0.55-0.83."""
MIN_VOICE_SECONDS = 3.0
MIN_VOICE_SHARE = 0.05
MAX_VOICE_FLOOR_SECONDS = 30.0
"""A group needs 3 s of speech, or 5% of the meeting's (capped at 30 s), to be a voice of
its own; below that it is most likely stray pieces of someone else. A meeting's
`num_speakers` overrides all of this."""


def cluster_voices(
    embeddings: Vectors,
    durations: npt.NDArray[np.float64],
    *,
    num_speakers: int | None = None,
    min_speakers: int | None = None,
    max_speakers: int | None = None,
) -> Labels:
    """A speaker number per embedding, numbered in order of first appearance."""
    count = len(embeddings)
    if count <= 1:
        return np.zeros(count, dtype=int)
    tree = linkage(embeddings, method="average", metric="cosine")
    if num_speakers:
        return _by_first_appearance(
            fcluster(tree, t=min(num_speakers, count), criterion="maxclust")
        )
    labels = fcluster(tree, t=OVERSPLIT_DISTANCE, criterion="distance")
    floor = max(
        MIN_VOICE_SECONDS, min(MIN_VOICE_SHARE * float(durations.sum()), MAX_VOICE_FLOOR_SECONDS)
    )
    while _absorb_smallest(embeddings, durations, labels, floor) or _merge_closest(
        embeddings, labels, SAME_VOICE_SIMILARITY, max_speakers
    ):
        pass
    if min_speakers and len(set(labels.tolist())) < min_speakers:
        labels = fcluster(tree, t=min(min_speakers, count), criterion="maxclust")
    return _by_first_appearance(labels)


def _absorb_smallest(
    embeddings: Vectors, durations: npt.NDArray[np.float64], labels: Labels, floor: float
) -> bool:
    groups = sorted(set(labels.tolist()))
    if len(groups) == 1:
        return False
    spoken = {k: float(durations[labels == k].sum()) for k in groups}
    smallest = min(groups, key=spoken.__getitem__)
    if spoken[smallest] >= floor:
        return False
    others = [k for k in groups if k != smallest]
    centres = centroids_of(embeddings, labels, others)
    for index in np.flatnonzero(labels == smallest):
        labels[index] = others[nearest(embeddings[index], centres)]
    return True


def _merge_closest(
    embeddings: Vectors, labels: Labels, similarity: float, max_speakers: int | None
) -> bool:
    groups = sorted(set(labels.tolist()))
    if len(groups) == 1:
        return False
    centres = centroids_of(embeddings, labels, groups)
    alike = centres @ centres.T
    np.fill_diagonal(alike, -1.0)
    first, second = np.unravel_index(int(np.argmax(alike)), alike.shape)
    too_many = max_speakers is not None and len(groups) > max_speakers
    if alike[first, second] < similarity and not too_many:
        return False
    labels[labels == groups[second]] = groups[first]
    return True


def _by_first_appearance(raw: Labels) -> Labels:
    order: dict[int, int] = {}
    for value in raw:
        order.setdefault(int(value), len(order))
    return np.array([order[int(value)] for value in raw], dtype=int)


def centroids_of(embeddings: Vectors, labels: Labels, groups: list[int]) -> Vectors:
    """Unit-length mean embedding of each group, in the order given."""
    means = np.stack([embeddings[labels == k].mean(axis=0) for k in groups])
    unit: Vectors = (means / np.linalg.norm(means, axis=1, keepdims=True)).astype(np.float32)
    return unit


def centroids(embeddings: Vectors, labels: Labels) -> Vectors:
    """Unit-length mean embedding of speakers 0, 1, ... as numbered by cluster_voices."""
    return centroids_of(embeddings, labels, list(range(int(labels.max()) + 1)))


def nearest(embedding: Vectors, centres: Vectors) -> int:
    return int(np.argmax(centres @ embedding))
