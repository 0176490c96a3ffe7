"""The data dir's disk fills up mid-ingest (for real: a 1.5 MB tmpfs mounted for the test)."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from minutes.config import Settings
from minutes.db.meetings import create_meeting, get_meeting
from tests.conftest import REPO, work_until_finished

Conn = psycopg.Connection[dict[str, Any]]
SUDO = [] if os.geteuid() == 0 else ["sudo", "-n"]


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    mount = tmp_path / "small"
    mount.mkdir()
    subprocess.run(
        [*SUDO, "mount", "-t", "tmpfs", "-o", "size=1536k", "tmpfs", str(mount)], check=True
    )
    try:
        yield mount
    finally:
        subprocess.run([*SUDO, "umount", "-l", str(mount)], check=True)


def test_a_full_disk_fails_clearly_cleans_up_and_the_worker_goes_on(
    settings: Settings, db: Conn, small_disk: Path, english_speech: tuple[Path, str]
) -> None:
    settings = settings.model_copy(update={"data_dir": small_disk / "data", "max_attempts": 2})
    too_big = create_meeting(
        db, audio_url=str(REPO / "samples" / "team-sync.flac"), title="60 s", options={}
    )
    fits = create_meeting(db, audio_url=str(english_speech[0]), title="15 s", options={})
    work_until_finished(settings, too_big.id, fits.id)

    failed = get_meeting(db, too_big.id)
    assert failed is not None and failed.status == "failed"
    assert failed.error_message is not None
    assert failed.error_message.startswith("ingest: no space left on the disk holding")
    assert (
        "MINUTES_DATA_DIR" in failed.error_message and "(after 2 attempts)" in failed.error_message
    )
    assert not list(small_disk.rglob("*.part")), "partial files are removed"
    assert not (small_disk / "data" / "audio" / f"{too_big.id}.wav").exists()
    done = get_meeting(db, fits.id)
    assert done is not None and done.status == "completed", done
