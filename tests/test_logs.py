"""Log files: every line as JSON in minutes.log, errors also in errors.log, both rotated."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
import structlog

from minutes.config import Settings
from minutes.logs import configure_logging


@pytest.fixture(autouse=True)
def _restore_logging() -> object:
    yield
    configure_logging(Settings(log_format="json"))


def _lines(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_lines_go_to_the_log_and_errors_also_to_the_error_log(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    configure_logging(Settings(log_dir=tmp_path / "logs", log_format="console"))
    log = structlog.get_logger("minutes.test")
    log.info("meeting.queued", meeting_id="m1")
    log.error("stage.failed", meeting_id="m1", error="decoding failed")
    logging.getLogger("procrastinate.worker").warning("from a library")
    try:
        raise ValueError("boom")
    except ValueError:
        log.exception("stage.crashed")

    everything = _lines(tmp_path / "logs" / "minutes.log")
    assert [line["event"] for line in everything] == [
        "meeting.queued",
        "stage.failed",
        "from a library",
        "stage.crashed",
    ]
    assert everything[0]["meeting_id"] == "m1" and everything[0]["level"] == "info"
    assert "timestamp" in everything[2] and everything[2]["level"] == "warning"
    errors = _lines(tmp_path / "logs" / "errors.log")
    assert [line["event"] for line in errors] == ["stage.failed", "stage.crashed"]
    assert "ValueError: boom" in str(errors[1]["exception"])
    assert "meeting.queued" in capfd.readouterr().err  # the terminal still gets every line


def test_the_logs_rotate_by_size(tmp_path: Path) -> None:
    configure_logging(
        Settings(log_dir=tmp_path, log_format="json", log_file_bytes=10_000, log_file_backups=2)
    )
    log = structlog.get_logger("minutes.test")
    for number in range(500):
        log.info("progress", number=number, padding="x" * 50)
    files = sorted(path.name for path in tmp_path.glob("minutes.log*"))
    assert files == ["minutes.log", "minutes.log.1", "minutes.log.2"]
    assert all(path.stat().st_size <= 10_000 for path in tmp_path.glob("minutes.log*"))
    assert _lines(tmp_path / "minutes.log")[-1]["number"] == 499
