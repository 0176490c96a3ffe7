from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from minutes.config import Settings, SettingsError, load_settings


def test_defaults_are_offline_and_cpu(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("MINUTES_"):
            monkeypatch.delenv(name)
    settings = load_settings()
    assert settings.database_url == ""
    assert settings.whisper_model == "base"
    assert settings.device == "cpu"
    assert settings.max_file_bytes == 500_000_000
    assert settings.models_dir == settings.data_dir / "models"


def test_environment_variables_are_read(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("MINUTES_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("MINUTES_DEVICE", "auto")
    monkeypatch.setenv("MINUTES_SOURCE_ROOTS", f"{tmp_path}{os.pathsep}/srv/audio")
    monkeypatch.setenv("MINUTES_LANGUAGE", "")
    settings = load_settings()
    assert settings.data_dir == tmp_path
    assert settings.device == "auto"
    assert settings.source_roots == [tmp_path, Path("/srv/audio")]
    assert settings.language is None


def test_dotenv_file_is_read(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MINUTES_BEAM_SIZE", raising=False)
    (tmp_path / ".env").write_text("MINUTES_BEAM_SIZE=2\n")
    assert load_settings().beam_size == 2


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("MINUTES_DEVICE", "tpu"),
        ("MINUTES_MAX_FILE_BYTES", "-1"),
        ("MINUTES_CPU_THREADS", "many"),
        ("MINUTES_LOG_FORMAT", "xml"),
    ],
)
def test_invalid_setting_names_the_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError, match=variable):
        load_settings()


def test_cli_refuses_to_start_with_an_invalid_setting(tmp_path: Path) -> None:
    env = {**os.environ, "MINUTES_DEVICE": "gpu", "MINUTES_DATA_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "minutes", "status"], env=env, capture_output=True, text=True
    )
    assert result.returncode == 2
    assert "MINUTES_DEVICE" in result.stderr


def test_allowed_roots_default_to_home_cwd_and_data_dir(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    assert settings.allowed_source_roots == [
        Path.home().resolve(),
        Path.cwd().resolve(),
        tmp_path.resolve(),
    ]


def test_shutdown_grace_must_end_before_recovery_starts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MINUTES_STALLED_AFTER_SECONDS", "10")
    monkeypatch.setenv("MINUTES_SHUTDOWN_TIMEOUT_SECONDS", "10")
    with pytest.raises(SettingsError, match="MINUTES_SHUTDOWN_TIMEOUT_SECONDS"):
        load_settings()


def test_the_remote_transcription_backend_needs_an_endpoint(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("MINUTES_ASR_BACKEND", "openai")
    with pytest.raises(SettingsError, match=r"MINUTES_ASR_BASE_URL: .*MINUTES_ASR_BACKEND=openai"):
        load_settings()
    monkeypatch.setenv("MINUTES_ASR_BASE_URL", "https://api.openai.com/v1")
    assert load_settings().asr_base_url == "https://api.openai.com/v1"
