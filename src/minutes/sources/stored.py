"""Recordings already in storage: an upload's key, or an `s3://bucket/key` URL."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path, PurePosixPath

from minutes.config import Settings
from minutes.sources import FetchedSource, SourceError
from minutes.storage import Storage, open_storage

_PIECE = 1 << 20


def fetch_stored(key: str, settings: Settings, storage: Storage | None = None) -> FetchedSource:
    """Copy `key` from storage (the configured one by default) into the cache."""
    storage = storage or open_storage(settings)
    size = storage.size(key)
    if size is None:
        raise SourceError(f"nothing stored at {key} in {storage.url}")
    if size > settings.max_file_bytes:
        raise SourceError(
            f"{key} is over the limit of {settings.max_file_bytes} bytes (MINUTES_MAX_FILE_BYTES)"
        )
    settings.cache_dir.mkdir(parents=True, exist_ok=True)
    suffix = PurePosixPath(key).suffix[:10]
    handle, name = tempfile.mkstemp(dir=settings.cache_dir, suffix=suffix)
    os.close(handle)
    target = Path(name)
    try:
        storage.download(key, target)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    digest = hashlib.sha256()
    with target.open("rb") as data:
        for piece in iter(lambda: data.read(_PIECE), b""):
            digest.update(piece)
    return FetchedSource(path=target, sha256=digest.hexdigest(), size=size, downloaded=True)


def fetch_s3_url(url: str, settings: Settings) -> FetchedSource:
    """`s3://bucket/key` with the configured S3 endpoint and credentials."""
    from minutes.storage.s3 import S3Storage

    bucket, _, key = url.removeprefix("s3://").partition("/")
    if not bucket or not key:
        raise SourceError(f"{url} is not s3://bucket/key")
    return fetch_stored(key, settings, S3Storage.from_settings(f"s3://{bucket}", settings))
