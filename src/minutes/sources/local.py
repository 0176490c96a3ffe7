"""Local files, confined to the allowed roots so a request cannot read the whole disk."""

from __future__ import annotations

import hashlib
from pathlib import Path
from urllib.parse import unquote, urlsplit

from minutes.config import Settings
from minutes.sources import FetchedSource, SourceError


def resolve_local_path(source: str, roots: list[Path]) -> Path:
    """The real path of `source` (links and `..` resolved) if it lies under one of `roots`."""
    raw = unquote(urlsplit(source).path) if source.startswith("file:") else source
    if "\x00" in raw:
        raise SourceError("path contains a NUL byte")
    path = Path(raw).expanduser().resolve()
    if not any(path.is_relative_to(root) for root in roots):
        allowed = ", ".join(str(root) for root in roots)
        raise SourceError(
            f"{path} is outside the allowed source directories ({allowed}); "
            "set MINUTES_SOURCE_ROOTS to allow another"
        )
    if not path.exists():
        raise SourceError(f"no such file: {path}")
    if not path.is_file():
        raise SourceError(f"not a regular file: {path}")
    return path


def open_local(source: str, settings: Settings) -> FetchedSource:
    path = resolve_local_path(source, settings.allowed_source_roots)
    size = path.stat().st_size
    if size > settings.max_file_bytes:
        raise SourceError(
            f"file is {size} bytes, over the limit of {settings.max_file_bytes} "
            "(MINUTES_MAX_FILE_BYTES)"
        )
    with path.open("rb") as file:
        digest = hashlib.file_digest(file, "sha256").hexdigest()
    return FetchedSource(path=path, sha256=digest, size=size, downloaded=False)
