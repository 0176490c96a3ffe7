from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from minutes.config import Settings
from minutes.errors import TransientError
from minutes.sources import SourceError, fetch_source
from tests.http_server import Files, serve

BODY = bytes(range(256)) * 4096  # 1 MiB


@pytest.fixture
def files() -> Files:
    return Files(content={"/talk.m4a": BODY, "/live": BODY}, hide_length={"/live"})


@pytest.fixture
def base_url(files: Files) -> Iterator[str]:
    with serve(files) as url:
        yield url


def _settings(tmp_path: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "data_dir": tmp_path,
        "http_timeout_seconds": 2,
        "allow_private_urls": True,  # the test server is on loopback
        **overrides,
    }
    return Settings(**values)  # type: ignore[arg-type]


def test_download_streams_to_the_cache_with_its_sha256(tmp_path: Path, base_url: str) -> None:
    fetched = fetch_source(f"{base_url}/talk.m4a", _settings(tmp_path))
    digest = hashlib.sha256(BODY).hexdigest()
    assert fetched.sha256 == digest
    assert fetched.path == tmp_path / "cache" / f"{digest}.m4a"
    assert fetched.path.read_bytes() == BODY
    assert fetched.downloaded


def test_declared_size_over_the_cap_is_refused_before_reading(
    tmp_path: Path, base_url: str, files: Files
) -> None:
    with pytest.raises(SourceError, match="MINUTES_MAX_FILE_BYTES"):
        fetch_source(f"{base_url}/talk.m4a", _settings(tmp_path, max_file_bytes=100_000))
    assert list((tmp_path / "cache").iterdir()) == []


def test_undeclared_size_is_capped_while_downloading(
    tmp_path: Path, base_url: str, files: Files
) -> None:
    with pytest.raises(SourceError, match="over the limit of 100000 bytes"):
        fetch_source(f"{base_url}/live", _settings(tmp_path, max_file_bytes=100_000))
    assert list((tmp_path / "cache").iterdir()) == []


def test_client_errors_are_bad_input(tmp_path: Path, base_url: str) -> None:
    with pytest.raises(SourceError, match="HTTP 404"):
        fetch_source(f"{base_url}/missing.wav", _settings(tmp_path))


def test_server_errors_and_timeouts_are_transient(
    tmp_path: Path, base_url: str, files: Files
) -> None:
    files.unavailable_first["/talk.m4a"] = 1
    with pytest.raises(TransientError, match="HTTP 503"):
        fetch_source(f"{base_url}/talk.m4a", _settings(tmp_path))
    assert fetch_source(f"{base_url}/talk.m4a", _settings(tmp_path)).size == len(BODY)
    files.stall_seconds["/talk.m4a"] = 1.5
    with pytest.raises(TransientError, match="Timeout"):
        fetch_source(f"{base_url}/talk.m4a", _settings(tmp_path, http_timeout_seconds=0.3))


def test_unreachable_server_is_transient(tmp_path: Path) -> None:
    with pytest.raises(TransientError):
        fetch_source("http://127.0.0.1:9/a.wav", _settings(tmp_path))


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/a.wav",
        "http://localhost/a.wav",
        "http://10.0.0.7/a.wav",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/a.wav",
        "http://192.168.1.1/a.wav",
    ],
)
def test_internal_addresses_are_refused_unless_allowed(tmp_path: Path, url: str) -> None:
    with pytest.raises(SourceError, match="non-public address"):
        fetch_source(url, _settings(tmp_path, allow_private_urls=False))
