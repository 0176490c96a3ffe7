"""Storage in a local directory (one machine, or a shared mount)."""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path

from minutes.storage import StorageError, TooLarge, check_key

_PIECE = 1 << 16


class LocalStorage:
    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.url = str(self.root)

    def _path(self, key: str) -> Path:
        return self.root / check_key(key)

    def _write(self, key: str, chunks: Iterable[bytes], limit: int | None) -> int:
        target = self._path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, partial = tempfile.mkstemp(dir=target.parent, suffix=".part")
        size = 0
        try:
            with os.fdopen(handle, "wb") as out:
                for chunk in chunks:
                    size += len(chunk)
                    if limit is not None and size > limit:
                        raise TooLarge(f"upload is over the limit of {limit} bytes")
                    out.write(chunk)
            os.replace(partial, target)
        finally:
            Path(partial).unlink(missing_ok=True)
        return size

    def put_stream(self, key: str, chunks: Iterable[bytes], limit: int) -> int:
        return self._write(key, chunks, limit)

    def put_file(self, key: str, path: Path) -> None:
        """A hard link when `path` is on the same disk (processed audio is not copied twice)."""
        target = self._path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        linked = target.with_name(f".{target.name}.{uuid.uuid4().hex}.link")
        try:
            os.link(path, linked)
        except OSError:
            with path.open("rb") as source:
                self._write(key, iter(lambda: source.read(_PIECE), b""), None)
            return
        os.replace(linked, target)

    def download(self, key: str, target: Path) -> None:
        source = self._path(key)
        if not source.is_file():
            raise StorageError(f"nothing stored at {key}")
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".part")
        shutil.copyfile(source, partial)
        partial.replace(target)

    def size(self, key: str) -> int | None:
        path = self._path(key)
        return path.stat().st_size if path.is_file() else None

    def read_range(self, key: str, start: int, end: int) -> Iterator[bytes]:
        with self._path(key).open("rb") as source:
            source.seek(start)
            left = end - start + 1
            while left > 0:
                piece = source.read(min(_PIECE, left))
                if not piece:
                    return
                left -= len(piece)
                yield piece

    def delete_prefix(self, prefix: str) -> int:
        folder = self._path(prefix.rstrip("/"))
        if not folder.exists():
            return 0
        if folder.is_file():
            folder.unlink()
            return 1
        count = sum(1 for path in folder.rglob("*") if path.is_file())
        shutil.rmtree(folder)
        return count

    def check(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        if not os.access(self.root, os.W_OK):
            raise StorageError(f"{self.root} is not writable")
