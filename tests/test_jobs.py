"""The whole slice on the real stack: embedded Postgres, procrastinate workers, faster-whisper."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import UUID

import numpy as np
import psycopg
import pytest

from minutes.config import Settings
from minutes.db import open_pool
from minutes.db.meetings import create_meeting, get_meeting, get_segments, list_events
from minutes.pipeline import STAGES
from minutes.pipeline.ingest import processed_audio_path
from minutes.pipeline.runner import Attempt, run_stage
from minutes.pipeline.transcribe import STAGE as TRANSCRIBE
from minutes.transcript import Transcript
from tests.conftest import ENGLISH, segment_counts, work_until_finished
from tests.http_server import Files, serve
from tests.media import video_only
from tests.pipeline.test_transcribe import word_error_rate
from tests.speech import Turn, dialogue, write_wav

Conn = psycopg.Connection[dict[str, Any]]


def enqueue(db: Conn, source: str | Path, **options: str) -> UUID:
    return create_meeting(
        db, audio_url=str(source), title=Path(str(source)).name, options=options
    ).id


@pytest.fixture(scope="module")
def long_speech(speech_dir: Path) -> Path:
    """About 50 s of speech: long enough to kill a worker in the middle of it."""
    path = speech_dir / "long.wav"
    voices = ["en-us", "en+f3"]
    turns = [Turn(voices[i % 2], turn.text) for i, turn in enumerate(ENGLISH * 4)]
    dialogue(turns, path)
    return path


def test_a_meeting_goes_through_every_stage(
    settings: Settings, db: Conn, english_speech: tuple[Path, str]
) -> None:
    meeting_id = enqueue(db, english_speech[0])
    work_until_finished(settings, meeting_id)

    meeting = get_meeting(db, meeting_id)
    assert meeting is not None
    assert (meeting.status, meeting.stage, meeting.progress) == ("completed", STAGES[-1].name, 100)
    assert meeting.error_message is None
    assert meeting.language == "en"
    assert meeting.duration_seconds == pytest.approx(16, abs=4)
    assert meeting.processed_by == f"{os.uname().nodename}:{os.getpid()}"
    assert meeting.source_sha256 and len(meeting.source_sha256) == 64
    assert processed_audio_path(settings, meeting_id).is_file()

    segments = get_segments(db, meeting_id)
    assert (
        word_error_rate(
            english_speech[1], Transcript(language="en", language_probability=1, segments=segments)
        )
        <= 0.05
    )
    assert all(segment.words for segment in segments)

    kinds = [(event["kind"], event["stage"]) for event in list_events(db, meeting_id)]
    expected = []
    for stage in STAGES:
        expected += [("stage.started", stage.name), ("stage.completed", stage.name)]
    assert kinds == [*expected, ("meeting.completed", None)]
    left = db.execute("SELECT count(*) AS n FROM procrastinate_jobs WHERE status <> 'succeeded'")
    assert left.fetchone() == {"n": 0}


def test_language_and_model_can_be_chosen_per_meeting(
    settings: Settings, db: Conn, english_speech: tuple[Path, str]
) -> None:
    meeting_id = enqueue(db, english_speech[0], language="en", model="tiny.en")
    work_until_finished(settings, meeting_id)
    meeting = get_meeting(db, meeting_id)
    assert meeting is not None and meeting.status == "completed" and meeting.language == "en"
    assert len(get_segments(db, meeting_id)) >= 2


def test_a_higher_priority_meeting_queued_later_runs_first(
    settings: Settings, db: Conn, english_speech: tuple[Path, str]
) -> None:
    """One worker, two waiting meetings: the later, higher-priority one goes through every
    stage before the earlier one starts, because each stage keeps its meeting's priority."""
    source = str(english_speech[0])
    low = create_meeting(db, audio_url=source, title="low", options={"model": "tiny.en"})
    high = create_meeting(
        db, audio_url=source, title="high", options={"model": "tiny.en"}, priority=10
    )
    work_until_finished(settings, low.id, high.id)

    def started(meeting_id: UUID) -> list[Any]:
        return [
            e["created_at"] for e in list_events(db, meeting_id) if e["kind"] == "stage.started"
        ]

    assert len(started(high.id)) == len(started(low.id)) == len(STAGES)
    assert max(started(high.id)) < min(started(low.id))


def test_bad_input_fails_its_own_meeting_and_the_next_one_completes(
    settings: Settings, db: Conn, english_speech: tuple[Path, str], tmp_path: Path
) -> None:
    corrupt = tmp_path / "corrupt.mp3"
    corrupt.write_bytes(np.random.default_rng(3).bytes(40_000))
    empty = tmp_path / "empty.wav"
    write_wav(empty, np.zeros(0, dtype=np.int16))
    too_long = tmp_path / "long-silence.wav"
    write_wav(too_long, np.zeros(16_000 * 70, dtype=np.int16), rate=16_000)
    too_big = tmp_path / "huge.wav"
    too_big.write_bytes(b"\0" * 3_000_001)
    settings = settings.model_copy(update={"max_file_bytes": 3_000_000, "max_duration_seconds": 60})

    with serve(Files()) as base_url:
        bad = {
            enqueue(db, corrupt): "cannot read corrupt.mp3 as audio or video",
            enqueue(db, video_only(tmp_path / "film.mp4")): "film.mp4 has no audio stream",
            enqueue(db, empty): "zero-length recording",
            enqueue(db, too_long): "over the limit of 60 s (MINUTES_MAX_DURATION_SECONDS)",
            enqueue(db, too_big): "over the limit of 3000000 (MINUTES_MAX_FILE_BYTES)",
            enqueue(db, tmp_path / "gone.wav"): "no such file",
            enqueue(db, "/etc/hostname"): "outside the allowed source directories",
            enqueue(db, f"{base_url}/missing.ogg"): "HTTP 404",
        }
        good = enqueue(db, english_speech[0])
        work_until_finished(settings, *bad, good)

    for meeting_id, reason in bad.items():
        meeting = get_meeting(db, meeting_id)
        assert meeting is not None
        assert meeting.status == "failed", meeting
        assert meeting.error_message is not None and meeting.error_message.startswith("ingest: ")
        assert reason in meeting.error_message
        kinds = [event["kind"] for event in list_events(db, meeting_id)]
        assert kinds == ["stage.started", "meeting.failed"]  # no retry for bad input
    completed = get_meeting(db, good)
    assert completed is not None and completed.status == "completed"


def test_transient_errors_are_retried_with_backoff(
    settings: Settings, db: Conn, english_speech: tuple[Path, str]
) -> None:
    body = english_speech[0].read_bytes()
    files = Files(
        content={"/flaky.wav": body, "/down.wav": body},
        unavailable_first={"/flaky.wav": 2, "/down.wav": 100},
    )
    with serve(files) as base_url:
        flaky = enqueue(db, f"{base_url}/flaky.wav")
        down = enqueue(db, f"{base_url}/down.wav")
        work_until_finished(settings, flaky, down)

    recovered = get_meeting(db, flaky)
    assert recovered is not None and recovered.status == "completed"
    kinds = [event["kind"] for event in list_events(db, flaky)]
    assert kinds.count("stage.retrying") == 2
    assert files.requests["/flaky.wav"] == 3

    failed = get_meeting(db, down)
    assert failed is not None and failed.status == "failed"
    assert failed.error_message == (f"ingest: HTTP 503 from {base_url}/down.wav (after 3 attempts)")
    assert files.requests["/down.wav"] == settings.max_attempts


def test_rerunning_a_stage_replaces_its_output(
    settings: Settings, db: Conn, english_speech: tuple[Path, str]
) -> None:
    """At-least-once delivery: a stage run again (and the stages it queues) leaves one copy
    of the results."""
    meeting_id = enqueue(db, english_speech[0])
    work_until_finished(settings, meeting_id)
    first = get_segments(db, meeting_id)
    db.execute("UPDATE meetings SET status = 'processing' WHERE id = %s", (meeting_id,))
    with open_pool(settings.database_url) as pool:
        run_stage(
            TRANSCRIBE,
            meeting_id,
            pool=pool,
            settings=settings,
            worker="again",
            attempt=Attempt(0, True),
        )
    work_until_finished(settings, meeting_id)  # the diarize job transcribe queued again
    counts = segment_counts(db, meeting_id)
    assert counts["n"] == counts["distinct_index"] == len(first)
    assert get_segments(db, meeting_id) == first


def _worker_process(settings: Settings, *extra: str) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "MINUTES_DATABASE_URL": settings.database_url,
        "MINUTES_DATA_DIR": str(settings.data_dir),
        "MINUTES_MODEL_CACHE_DIR": str(settings.models_dir),
        "MINUTES_SOURCE_ROOTS": os.pathsep.join(str(root) for root in settings.source_roots),
        "MINUTES_HEARTBEAT_SECONDS": str(settings.heartbeat_seconds),
        "MINUTES_STALLED_AFTER_SECONDS": str(settings.stalled_after_seconds),
        "MINUTES_SHUTDOWN_TIMEOUT_SECONDS": str(settings.shutdown_timeout_seconds),
        "MINUTES_LOG_FORMAT": "json",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "minutes", "worker", *extra],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


@pytest.fixture
def reap() -> Iterator[list[subprocess.Popen[bytes]]]:
    processes: list[subprocess.Popen[bytes]] = []
    yield processes
    for process in processes:
        if process.poll() is None:
            process.kill()
        process.wait(10)


def _wait_for_transcription(db: Conn, meeting_id: UUID, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        meeting = get_meeting(db, meeting_id)
        assert meeting is not None
        assert meeting.status != "failed", meeting.error_message
        if meeting.stage == "transcribe" and meeting.progress > 10:
            return
        time.sleep(0.1)
    raise AssertionError("transcription did not start")


def test_a_killed_workers_job_is_recovered_without_duplicates(
    settings: Settings, db: Conn, long_speech: Path, reap: list[subprocess.Popen[bytes]]
) -> None:
    meeting_id = enqueue(db, long_speech)
    victim = _worker_process(settings)
    reap.append(victim)
    _wait_for_transcription(db, meeting_id)
    victim.send_signal(signal.SIGKILL)
    victim.wait(10)
    killed_at = time.monotonic()

    work_until_finished(settings, meeting_id, timeout=120)
    recovered_after = time.monotonic() - killed_at

    meeting = get_meeting(db, meeting_id)
    assert meeting is not None and meeting.status == "completed"
    assert meeting.processed_by == f"{os.uname().nodename}:{os.getpid()}"
    kinds = [(e["kind"], e["stage"]) for e in list_events(db, meeting_id)]
    assert kinds.count(("stage.started", "transcribe")) == 2
    assert kinds.count(("stage.completed", "transcribe")) == 1
    counts = segment_counts(db, meeting_id)
    assert counts["n"] == counts["distinct_index"] == counts["distinct_content"] > 5
    # recovery is bounded: stalled after 3 s, swept every 1 s, then one transcription
    assert recovered_after < 90


def test_sigterm_releases_the_running_job_for_another_worker(
    settings: Settings, db: Conn, long_speech: Path, reap: list[subprocess.Popen[bytes]]
) -> None:
    settings = settings.model_copy(update={"shutdown_timeout_seconds": 0})
    meeting_id = enqueue(db, long_speech)
    worker = _worker_process(settings)
    reap.append(worker)
    _wait_for_transcription(db, meeting_id)
    worker.send_signal(signal.SIGTERM)
    assert worker.wait(30) == 0

    kinds = [e["kind"] for e in list_events(db, meeting_id)]
    assert kinds[-1] == "stage.released"
    work_until_finished(settings, meeting_id, timeout=120)
    meeting = get_meeting(db, meeting_id)
    assert meeting is not None and meeting.status == "completed"


def test_two_workers_never_run_the_same_stage_of_a_meeting_at_once(
    settings: Settings,
    db: Conn,
    english_speech: tuple[Path, str],
    reap: list[subprocess.Popen[bytes]],
) -> None:
    """Two worker processes share three meetings: each stage runs exactly once, and a
    meeting's stages never overlap in time, whichever worker takes them."""
    meetings = [enqueue(db, english_speech[0]) for _ in range(3)]
    workers = [_worker_process(settings) for _ in range(2)]
    reap.extend(workers)
    deadline = time.monotonic() + 240
    while not all((m := get_meeting(db, i)) is not None and m.finished for i in meetings):
        assert time.monotonic() < deadline, "the workers did not finish"
        time.sleep(0.5)
    takers = set()
    for meeting_id in meetings:
        events = list_events(db, meeting_id)
        started = [e for e in events if e["kind"] == "stage.started"]
        finished = [e for e in events if e["kind"] == "stage.completed"]
        assert [e["stage"] for e in started] == [e["stage"] for e in finished]
        assert len(started) == len({e["stage"] for e in started})  # each stage once
        for done, following in zip(finished, started[1:], strict=False):
            assert done["created_at"] <= following["created_at"]  # one stage at a time
        takers |= {e["detail"]["worker"] for e in started}
    assert len(takers) == 2, "both workers took part"
