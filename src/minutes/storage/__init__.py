"""Where uploads and processed audio live: a local directory or an S3-compatible bucket.

`MINUTES_STORAGE_URL` picks it: a path (default `<data dir>/storage`) or
`s3://bucket/prefix` (AWS S3, MinIO, Supabase Storage's S3 endpoint, with the
`MINUTES_S3_*` settings). Keys are relative, `/`-separated names such as
`uploads/<id>/call.m4a` or `meetings/<id>/audio.wav`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Protocol

from minutes.config import Settings
from minutes.errors import BadInput


class StorageError(BadInput):
    """A key is missing or not allowed."""


class TooLarge(BadInput):
    """An upload went over MINUTES_MAX_FILE_BYTES while it streamed in."""


class Storage(Protocol):
    url: str

    def put_stream(self, key: str, chunks: Iterable[bytes], limit: int) -> int:
        """Store `chunks` under `key`, refusing more than `limit` bytes; returns the size."""
        ...

    def put_file(self, key: str, path: Path) -> None: ...

    def download(self, key: str, target: Path) -> None:
        """Copy `key` to the local file `target` (written whole, then renamed into place)."""
        ...

    def size(self, key: str) -> int | None:
        """Bytes stored under `key`, or None when there is nothing."""
        ...

    def read_range(self, key: str, start: int, end: int) -> Iterator[bytes]:
        """Bytes `start` to `end` inclusive, in pieces."""
        ...

    def delete_prefix(self, prefix: str) -> int:
        """Remove every key under `prefix`; returns how many."""
        ...

    def check(self) -> None:
        """Raise when the storage cannot be reached (for /health)."""
        ...


def check_key(key: str) -> str:
    parts = key.split("/")
    if not key or key.startswith("/") or any(part in ("", ".", "..") for part in parts):
        raise StorageError(f"invalid storage key {key!r}")
    return key


def open_storage(settings: Settings) -> Storage:
    url = settings.storage_url or str(settings.data_dir / "storage")
    if url.startswith("s3://"):
        from minutes.storage.s3 import S3Storage

        return S3Storage.from_settings(url, settings)
    from minutes.storage.local import LocalStorage

    return LocalStorage(Path(url.removeprefix("file://")).expanduser())
