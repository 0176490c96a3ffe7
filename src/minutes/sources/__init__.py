"""Where recordings come from. Every source ends as a local file with its sha256."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from minutes.config import Settings
from minutes.errors import BadInput


class SourceError(BadInput):
    """The source cannot be used: missing, not allowed, too large or refused by its server."""


@dataclass(frozen=True)
class FetchedSource:
    path: Path
    sha256: str
    size: int
    downloaded: bool
    """True when `path` is a copy in the cache that can be removed once decoded."""


def fetch_source(source: str, settings: Settings) -> FetchedSource:
    """An `audio_url`: a local path (inside the allowed roots), an http(s) URL to a public
    address, or `s3://bucket/key`. `file://` URLs are refused: a path says the same thing
    without letting a URL field reach the server's files."""
    from minutes.sources.http import download
    from minutes.sources.local import open_local
    from minutes.sources.stored import fetch_s3_url

    scheme = urlsplit(source).scheme.lower()
    if scheme in ("http", "https"):
        return download(source, settings)
    if scheme == "s3":
        return fetch_s3_url(source, settings)
    if scheme == "":
        return open_local(source, settings)
    raise SourceError(
        f"unsupported source scheme {scheme!r} (use a path, an http(s) URL or s3://bucket/key)"
    )
