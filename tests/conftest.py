"""Shared fixtures: one embedded Postgres per run, a fresh database per test, real speech."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import psycopg
import pytest
from psycopg.conninfo import make_conninfo

from minutes import jobs
from minutes.config import Settings
from minutes.db import connect
from minutes.db.embedded import start_embedded_postgres
from minutes.db.meetings import get_meeting
from minutes.db.migrate import migrate
from tests.speech import Turn, dialogue, espeak_available

REPO = Path(__file__).resolve().parents[1]
TEMPLATE_DB = "minutes_template"

ENGLISH = [
    Turn("en-us", "The quarterly budget review is scheduled for next Thursday afternoon."),
    Turn("en-us", "Please bring the updated revenue forecast and the hiring plan."),
    Turn("en-us", "We expect the marketing team to present three new campaign ideas."),
]


def pytest_configure(config: pytest.Config) -> None:
    if not espeak_available():
        raise pytest.UsageError("espeak-ng is missing: run the tests with `make test`")


@pytest.fixture(scope="session")
def postgres_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The embedded server, with a migrated template database each test copies."""
    url = start_embedded_postgres(tmp_path_factory.mktemp("embedded"))
    with connect(url) as conn:
        conn.execute(f"CREATE DATABASE {TEMPLATE_DB}")
    with connect(make_conninfo(url, dbname=TEMPLATE_DB)) as conn:
        migrate(conn)
    return url


@contextmanager
def fresh_database(postgres_url: str) -> Iterator[str]:
    """A migrated database of its own, dropped afterwards."""
    name = f"test_{uuid4().hex[:12]}"
    with connect(postgres_url) as conn:
        conn.execute(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE_DB}")
    try:
        yield make_conninfo(postgres_url, dbname=name)
    finally:
        with connect(postgres_url) as conn:
            conn.execute(f"DROP DATABASE {name} WITH (FORCE)")


@pytest.fixture
def database_url(postgres_url: str) -> Iterator[str]:
    with fresh_database(postgres_url) as url:
        yield url


@pytest.fixture
def db(database_url: str) -> Iterator[psycopg.Connection[dict[str, Any]]]:
    with connect(database_url) as conn:
        yield conn


@pytest.fixture(scope="session")
def model_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("models")


@pytest.fixture(scope="session")
def speech_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("speech")


@pytest.fixture
def settings(tmp_path: Path, database_url: str, model_cache: Path, speech_dir: Path) -> Settings:
    """Settings for one test: its own database and data dir, fast heartbeats and retries."""
    return Settings(
        database_url=database_url,
        data_dir=tmp_path / "data",
        model_cache_dir=model_cache,
        source_roots=[tmp_path, speech_dir, REPO / "samples"],
        heartbeat_seconds=1,
        stalled_after_seconds=3,
        retry_base_seconds=1,
        max_attempts=3,
        shutdown_timeout_seconds=2,
        allow_private_urls=True,  # test servers live on loopback
    )


@pytest.fixture(scope="session")
def english_speech(speech_dir: Path) -> tuple[Path, str]:
    """About 15 s of one clear voice, and what it says."""
    path = speech_dir / "english.wav"
    dialogue(ENGLISH, path)
    return path, " ".join(turn.text for turn in ENGLISH)


def work_until_finished(
    settings: Settings,
    *meeting_ids: UUID,
    timeout: float = 180,
    until: Callable[[], bool] = lambda: True,
) -> None:
    """Run a real procrastinate worker in this process until the meetings are finished
    (and `until()` holds, for what the worker does beside jobs, such as webhooks)."""

    def done() -> bool:
        return _all_finished(settings, meeting_ids) and until()

    async def run() -> None:
        app, resources = jobs.create_app(settings, settings.database_url)
        try:
            async with app.open_async():
                worker = asyncio.create_task(
                    jobs.run_worker(
                        app, settings, resources=resources, install_signal_handlers=False
                    )
                )
                try:
                    async with asyncio.timeout(timeout):
                        while not await asyncio.to_thread(done):
                            if worker.done():
                                worker.result()
                            await asyncio.sleep(0.2)
                finally:
                    worker.cancel()
                    await asyncio.gather(worker, return_exceptions=True)
        finally:
            resources.close()

    asyncio.run(run())


@contextmanager
def background_worker(settings: Settings) -> Iterator[None]:
    """A real worker running in its own thread and event loop while the block runs."""
    stop = threading.Event()
    failure: list[BaseException] = []

    async def run() -> None:
        app, resources = jobs.create_app(settings, settings.database_url)
        try:
            async with app.open_async():
                worker = asyncio.create_task(
                    jobs.run_worker(
                        app, settings, resources=resources, install_signal_handlers=False
                    )
                )
                while not stop.is_set() and not worker.done():
                    await asyncio.sleep(0.2)
                worker.cancel()
                await asyncio.gather(worker, return_exceptions=True)
        finally:
            resources.close()

    def main() -> None:
        try:
            asyncio.run(run())
        except BaseException as error:
            failure.append(error)

    thread = threading.Thread(target=main, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=30)
    if failure:
        raise failure[0]


def _all_finished(settings: Settings, meeting_ids: tuple[UUID, ...]) -> bool:
    with connect(settings.database_url) as conn:
        return all(
            (meeting := get_meeting(conn, meeting_id)) is not None and meeting.finished
            for meeting_id in meeting_ids
        )


def segment_counts(db: psycopg.Connection[dict[str, Any]], meeting_id: UUID) -> dict[str, int]:
    """How many transcript rows a meeting has, and how many are distinct by index and by
    content: equal counts mean no stage run left duplicates behind."""
    row = db.execute(
        "SELECT count(*) AS n, count(DISTINCT segment_index) AS distinct_index,"
        " count(DISTINCT (start_time, text)) AS distinct_content"
        " FROM transcript_segments WHERE meeting_id = %s",
        (meeting_id,),
    ).fetchone()
    assert row is not None
    return dict(row)
