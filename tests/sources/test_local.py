from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from minutes.config import Settings
from minutes.sources import SourceError, fetch_source
from minutes.sources.local import resolve_local_path


@pytest.fixture
def roots(tmp_path: Path) -> list[Path]:
    allowed = tmp_path / "allowed"
    allowed.mkdir()
    (allowed / "talk.wav").write_bytes(b"RIFF....")
    (tmp_path / "secret.txt").write_text("no")
    return [allowed.resolve()]


def test_a_file_inside_a_root_resolves(roots: list[Path]) -> None:
    assert resolve_local_path(str(roots[0] / "talk.wav"), roots) == roots[0] / "talk.wav"
    assert resolve_local_path(f"file://{roots[0]}/talk.wav", roots) == roots[0] / "talk.wav"


@pytest.mark.parametrize("relative", ["../secret.txt", "sub/../../secret.txt"])
def test_traversal_out_of_the_roots_is_refused(roots: list[Path], relative: str) -> None:
    with pytest.raises(SourceError, match="outside the allowed source directories"):
        resolve_local_path(str(roots[0] / relative), roots)


def test_a_link_pointing_outside_is_refused(roots: list[Path]) -> None:
    link = roots[0] / "innocent.wav"
    link.symlink_to(roots[0].parent / "secret.txt")
    with pytest.raises(SourceError, match="outside"):
        resolve_local_path(str(link), roots)


def test_missing_files_and_directories_are_refused(roots: list[Path]) -> None:
    with pytest.raises(SourceError, match="no such file"):
        resolve_local_path(str(roots[0] / "gone.wav"), roots)
    (roots[0] / "folder").mkdir()
    with pytest.raises(SourceError, match="not a regular file"):
        resolve_local_path(str(roots[0] / "folder"), roots)


def test_fetch_hashes_in_place_and_enforces_the_size_cap(tmp_path: Path) -> None:
    path = tmp_path / "talk.mp3"
    path.write_bytes(b"x" * 1000)
    settings = Settings(data_dir=tmp_path / "data", source_roots=[tmp_path], max_file_bytes=1000)
    fetched = fetch_source(str(path), settings)
    assert fetched.path == path.resolve()
    assert fetched.sha256 == hashlib.sha256(b"x" * 1000).hexdigest()
    assert not fetched.downloaded
    small = Settings(data_dir=tmp_path / "data", source_roots=[tmp_path], max_file_bytes=999)
    with pytest.raises(SourceError, match="MINUTES_MAX_FILE_BYTES"):
        fetch_source(str(path), small)


def test_unknown_schemes_are_refused(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="unsupported source scheme 'ftp'"):
        fetch_source("ftp://example.org/a.wav", Settings(data_dir=tmp_path))


def test_file_urls_are_refused(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="unsupported source scheme 'file'"):
        fetch_source("file:///etc/passwd", Settings(data_dir=tmp_path))
