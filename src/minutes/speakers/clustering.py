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
    labels = _Groups(embeddings, durations, labels).settle(floor, max_speakers)
    if min_speakers and len(set(labels.tolist())) < min_speakers:
        labels = fcluster(tree, t=min(min_speakers, count), criterion="maxclust")
    return _by_first_appearance(labels)


class _Groups:
    """Step 2 on running sums per group, so each absorb or merge costs the groups it
    touches rather than a pass over every piece (hours of audio give thousands)."""

    def __init__(self, embeddings: Vectors, durations: npt.NDArray[np.float64], labels: Labels):
        self.embeddings, self.labels = embeddings, labels.copy()
        self.members = {int(k): np.flatnonzero(labels == k) for k in np.unique(labels)}
        self.sums = {
            k: embeddings[m].sum(axis=0, dtype=np.float64) for k, m in self.members.items()
        }
        self.spoken = {k: float(durations[m].sum()) for k, m in self.members.items()}
        self.durations = durations

    def centres(self, groups: list[int]) -> Vectors:
        """Unit-length mean embedding of each group (the sum points the same way)."""
        sums = np.stack([self.sums[k] for k in groups])
        unit: Vectors = (sums / np.linalg.norm(sums, axis=1, keepdims=True)).astype(np.float32)
        return unit

    def settle(self, floor: float, max_speakers: int | None) -> Labels:
        while self._absorb_smallest(floor) or self._merge_closest(max_speakers):
            pass
        return self.labels

    def _absorb_smallest(self, floor: float) -> bool:
        """The group with the least speech, if below `floor`, is shared out piece by piece
        to the nearest other group."""
        groups = sorted(self.members)
        if len(groups) == 1:
            return False
        smallest = min(groups, key=self.spoken.__getitem__)
        if self.spoken[smallest] >= floor:
            return False
        others = [k for k in groups if k != smallest]
        moving = self.members.pop(smallest)
        del self.sums[smallest], self.spoken[smallest]
        targets = np.argmax(self.embeddings[moving] @ self.centres(others).T, axis=1)
        for piece, target in zip(moving, targets, strict=True):
            self._move(int(piece), others[int(target)])
        return True

    def _merge_closest(self, max_speakers: int | None) -> bool:
        """The two groups with the most alike mean voices become one while they are alike
        enough (or while there are more than `max_speakers`)."""
        groups = sorted(self.members)
        if len(groups) == 1:
            return False
        centres = self.centres(groups)
        alike = centres @ centres.T
        np.fill_diagonal(alike, -1.0)
        first, second = np.unravel_index(int(np.argmax(alike)), alike.shape)
        too_many = max_speakers is not None and len(groups) > max_speakers
        if alike[first, second] < SAME_VOICE_SIMILARITY and not too_many:
            return False
        keep, gone = groups[int(first)], groups[int(second)]
        for piece in self.members.pop(gone):
            self.labels[piece] = keep
        self.members[keep] = np.flatnonzero(self.labels == keep)
        self.sums[keep] += self.sums.pop(gone)
        self.spoken[keep] += self.spoken.pop(gone)
        return True

    def _move(self, piece: int, group: int) -> None:
        self.labels[piece] = group
        self.members[group] = np.append(self.members[group], piece)
        self.sums[group] += self.embeddings[piece]
        self.spoken[group] += float(self.durations[piece])


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
