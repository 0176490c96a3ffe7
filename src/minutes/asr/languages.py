"""Whisper's language names, which OpenAI's API uses where minutes stores ISO codes."""

from __future__ import annotations

from functools import cache


@cache
def _names() -> dict[str, str]:
    # Whisper's own table (code -> English name), as transformers ships it.
    from transformers.models.whisper.tokenization_whisper import LANGUAGES

    return dict(LANGUAGES)


def language_name(code: str) -> str:
    """'en' -> 'english'; an unknown code is returned as it is."""
    return _names().get(code, code)


def language_code(name: str) -> str:
    """'english' or 'en' -> 'en'; an unknown name is returned lower-cased."""
    lowered = name.strip().lower()
    if lowered in _names():
        return lowered
    return {value: key for key, value in _names().items()}.get(lowered, lowered)
