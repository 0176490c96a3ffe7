from __future__ import annotations

import numpy as np
import numpy.typing as npt

from minutes.speakers.clustering import centroids, cluster_voices, nearest


def voices(counts: list[int], noise: float = 0.15, seed: int = 0) -> npt.NDArray[np.float32]:
    """Unit vectors scattered around one random direction per voice, voices in turn."""
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((len(counts), 256))
    rows = []
    for voice, count in enumerate(counts):
        for _ in range(count):
            vector = centres[voice] / np.linalg.norm(centres[voice])
            vector = vector + noise * rng.standard_normal(256) / np.sqrt(256)
            rows.append(vector / np.linalg.norm(vector))
    return np.array(rows, dtype=np.float32)


def seconds(count: int) -> npt.NDArray[np.float64]:
    return np.full(count, 2.0)


def test_the_number_of_voices_is_found() -> None:
    for counts in ([10], [6, 8], [5, 5, 5], [4, 7, 3, 6]):
        embeddings = voices(counts)
        labels = cluster_voices(embeddings, seconds(len(embeddings)))
        assert len(set(labels.tolist())) == len(counts)
        expected = np.repeat(np.arange(len(counts)), counts)
        assert labels.tolist() == expected.tolist()  # numbered by first appearance


def test_first_appearance_decides_the_numbers() -> None:
    embeddings = voices([3, 3])
    order = [3, 0, 4, 1, 5, 2]
    labels = cluster_voices(embeddings[order], seconds(6))
    assert labels.tolist() == [0, 1, 0, 1, 0, 1]


def test_a_requested_count_wins() -> None:
    embeddings = voices([6, 6, 6])
    assert len(set(cluster_voices(embeddings, seconds(18), num_speakers=2).tolist())) == 2
    assert len(set(cluster_voices(embeddings, seconds(18), max_speakers=2).tolist())) == 2
    single = voices([12])
    assert len(set(cluster_voices(single, seconds(12), min_speakers=2).tolist())) == 2


def test_a_tiny_voice_joins_its_nearest_neighbour() -> None:
    embeddings = voices([20, 20, 1])
    durations = seconds(41)
    assert len(set(cluster_voices(embeddings, durations).tolist())) == 2
    assert len(set(cluster_voices(embeddings, durations, num_speakers=3).tolist())) == 3


def test_degenerate_inputs() -> None:
    assert cluster_voices(np.zeros((0, 256), dtype=np.float32), seconds(0)).tolist() == []
    assert cluster_voices(voices([1]), seconds(1)).tolist() == [0]


def test_centroids_and_nearest() -> None:
    embeddings = voices([5, 5])
    labels = cluster_voices(embeddings, seconds(10))
    centres = centroids(embeddings, labels)
    assert np.allclose(np.linalg.norm(centres, axis=1), 1.0)
    assert nearest(embeddings[7], centres) == 1
