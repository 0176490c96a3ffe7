"""`minutes doctor` on a healthy set-up and on parts broken for real."""

from __future__ import annotations

from pathlib import Path
from uuid import uuid4

import ctranslate2
from psycopg.conninfo import make_conninfo

from minutes.config import Settings
from minutes.db import connect
from minutes.doctor import Check, run_checks
from tests.loopback import free_port
from tests.test_cli import minutes


def by_name(checks: list[Check]) -> dict[str, Check]:
    return {check.name: check for check in checks}


def test_a_healthy_setup_passes_every_check(settings: Settings) -> None:
    checks = by_name(run_checks(settings))
    assert set(checks) == {"database", "storage", "speech model", "other models", "disk", "GPU"}
    for name in ("database", "storage", "speech model", "other models", "GPU"):
        assert checks[name].ok, checks[name]
    assert "up to date" in checks["database"].detail
    assert "GiB free" in checks["disk"].detail
    has_gpu = ctranslate2.get_cuda_device_count() > 0
    assert ("CUDA device" in checks["GPU"].detail) == has_gpu


def test_broken_parts_are_reported_with_what_to_fix(settings: Settings, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    broken = settings.model_copy(
        update={
            "database_url": f"postgresql://127.0.0.1:{free_port()}/nothing",
            "storage_url": str(blocker / "storage"),
            "whisper_model": str(tmp_path / "no-such-model"),
            "llm_base_url": f"http://127.0.0.1:{free_port()}/v1",
            "llm_model": "x",
            "device": "cuda",
        }
    )
    checks = by_name(run_checks(broken))
    assert not checks["database"].ok and "MINUTES_DATABASE_URL" in checks["database"].fix
    assert not checks["storage"].ok and "MINUTES_STORAGE_URL" in checks["storage"].fix
    assert not checks["LLM endpoint"].ok and "MINUTES_LLM_BASE_URL" in checks["LLM endpoint"].fix
    assert checks["GPU"].ok == (ctranslate2.get_cuda_device_count() > 0)
    assert not checks["GPU"].ok or "CUDA device" in checks["GPU"].detail


def test_a_database_behind_on_migrations(settings: Settings, postgres_url: str) -> None:
    name = f"bare_{uuid4().hex[:8]}"
    with connect(postgres_url) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    try:
        bare = settings.model_copy(
            update={"database_url": make_conninfo(postgres_url, dbname=name)}
        )
        check = by_name(run_checks(bare))["database"]
        assert not check.ok and check.fix == "run `minutes db migrate`"
    finally:
        with connect(postgres_url) as conn:
            conn.execute(f"DROP DATABASE {name} WITH (FORCE)")
    with connect(settings.database_url) as conn:
        conn.execute("DELETE FROM minutes_migrations WHERE version = 7")
    check = by_name(run_checks(settings))["database"]
    assert not check.ok and check.detail == "1 migrations missing"


def test_the_command_prints_the_table_and_fails_when_something_is_wrong(
    settings: Settings,
) -> None:
    healthy = minutes(settings, "doctor")
    assert "database" in healthy.stdout and "speech model" in healthy.stdout
    broken = minutes(
        settings.model_copy(update={"database_url": f"postgresql://127.0.0.1:{free_port()}/x"}),
        "doctor",
    )
    assert broken.returncode == 1 and "FAIL" in broken.stdout
    assert "MINUTES_DATABASE_URL" in broken.stdout
