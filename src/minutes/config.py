"""Settings from `MINUTES_*` environment variables and an optional `.env` file.

Every knob lives here so a team can see, in one place, what a deployment can change.
"""

from __future__ import annotations

import os
from functools import cached_property
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

ENV_PREFIX = "MINUTES_"


def _default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "minutes"


class SettingsError(ValueError):
    """A setting is invalid; the message names the environment variable to fix."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX, env_file=".env", extra="ignore", frozen=True
    )

    database_url: str = Field(
        "", description="Postgres URL; empty starts an embedded Postgres in the data dir."
    )
    data_dir: Path = Field(default_factory=_default_data_dir)

    model_cache_dir: Path | None = Field(
        None, description="Where joined bundled models are kept; default <data dir>/models."
    )
    whisper_model: str = Field(
        "base", description="`base`, `tiny.en` (bundled), a faster-whisper name or a local path."
    )
    language: str | None = Field(None, description="Force a language code; empty detects it.")
    device: Literal["cpu", "cuda", "auto"] = "cpu"
    compute_type: str = Field("default", description="`default`: int8 on CPU, float16 on CUDA.")
    cpu_threads: int = Field(0, ge=0, description="0 uses every core.")
    beam_size: int = Field(5, ge=1, le=20)

    asr_backend: Literal["local", "openai"] = Field(
        "local",
        description="`local` runs faster-whisper here; `openai` sends the audio to an "
        "OpenAI-compatible transcription endpoint (OpenAI, Azure OpenAI, Groq, another minutes).",
    )
    asr_base_url: str | None = Field(
        None,
        validate_default=True,
        description="That endpoint's base URL, e.g. https://api.openai.com/v1.",
    )
    asr_model: str = Field("whisper-1", description="The model name the endpoint expects.")
    asr_api_key: SecretStr | None = Field(None, description="Sent as a Bearer token.")
    asr_max_upload_bytes: int = Field(
        25 * 1024 * 1024,
        ge=1_000_000,
        description="The provider's upload limit; audio is sent in windows that fit under it.",
    )
    asr_retries: int = Field(
        3, ge=0, le=10, description="Tries again on 429/5xx (honouring Retry-After)."
    )
    asr_timeout_seconds: float = Field(300.0, gt=0)
    transcription_wait_seconds: float = Field(
        3600.0,
        gt=0,
        description="How long `POST /v1/audio/transcriptions` waits for the transcript.",
    )

    max_file_bytes: int = Field(500_000_000, gt=0)
    max_duration_seconds: float = Field(6 * 3600, gt=0)
    source_roots: Annotated[list[Path], NoDecode] = Field(
        default_factory=list,
        description="Directories local sources may come from (os.pathsep-separated); "
        "empty allows the home directory, the working directory and the data dir.",
    )
    http_timeout_seconds: float = Field(30.0, gt=0)
    allow_private_urls: bool = Field(
        False,
        description="Let URL sources point at loopback, private or link-local addresses "
        "(off: a URL cannot be used to reach services inside your network).",
    )

    max_attempts: int = Field(4, ge=1, description="Tries of a stage on transient errors.")
    retry_base_seconds: int = Field(2, ge=1, description="Exponential backoff base.")
    heartbeat_seconds: float = Field(10.0, gt=0)
    stalled_after_seconds: float = Field(30.0, gt=0)
    shutdown_timeout_seconds: float = Field(
        20.0, ge=0, description="Grace for running jobs on SIGTERM; below the stalled limit."
    )

    storage_url: str = Field(
        "",
        description="Where uploads and processed audio go: a directory (empty: <data dir>/"
        "storage) or s3://bucket/prefix.",
    )
    s3_endpoint_url: str | None = Field(
        None, description="For MinIO, Supabase Storage (.../storage/v1/s3) or another S3 service."
    )
    s3_region: str | None = None
    s3_access_key_id: str | None = None
    s3_secret_access_key: SecretStr | None = None

    api_host: str = Field("127.0.0.1", description="Where `minutes serve` listens.")
    api_port: int = Field(8000, ge=1, le=65535)
    api_pool_size: int = Field(8, ge=1, description="Database connections of the API process.")
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="Comma-separated origins allowed to call the API."
    )

    webhook_secret: SecretStr | None = Field(
        None,
        description="Signs webhooks (HMAC-SHA256); empty: one is made in <data dir>/"
        "webhook-secret on first use (set it when workers run on several machines).",
    )
    link_secret: SecretStr | None = Field(
        None,
        description="Signs short-lived audio links; empty: one is made in <data dir>/"
        "link-secret (set it when API servers run on several machines).",
    )
    webhook_timeout_seconds: float = Field(10.0, gt=0)
    webhook_retry_base_seconds: float = Field(5.0, gt=0)

    llm_base_url: str | None = Field(
        None,
        description="An OpenAI-compatible endpoint (Ollama's http://localhost:11434/v1, a "
        "llama.cpp or vLLM server, OpenAI, Azure OpenAI's /openai/v1); empty summarizes "
        "offline with the extractive backend.",
    )
    llm_model: str = Field(
        "", validate_default=True, description="The model name the endpoint expects."
    )
    llm_api_key: SecretStr | None = Field(None, description="Sent as a Bearer token.")
    llm_response_format: Literal["json_schema", "json_object", "none"] = Field(
        "json_schema",
        description="How to ask for JSON: OpenAI structured outputs (`json_schema`), "
        "`json_object` with the schema attached (llama-cpp-python's server), or prompt only.",
    )
    llm_chunk_words: int = Field(
        1200, ge=100, description="Transcript words per request; longer meetings map-reduce."
    )
    llm_max_tokens: int = Field(1024, ge=64, description="Most tokens one answer may take.")
    llm_timeout_seconds: float = Field(300.0, gt=0)

    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_format: Literal["auto", "json", "console"] = "auto"
    log_dir: Path | None = Field(
        None,
        description="Also write JSON lines to <dir>/minutes.log and, from WARNING up, "
        "<dir>/errors.log, both rotated by size.",
    )
    log_file_bytes: int = Field(10_000_000, ge=10_000, description="Size at which a log rotates.")
    log_file_backups: int = Field(5, ge=1, description="Rotated files kept per log.")

    @field_validator("shutdown_timeout_seconds")
    @classmethod
    def _release_before_others_recover(cls, value: float, info: ValidationInfo) -> float:
        # Heartbeats stop during a graceful shutdown; a longer grace would let another
        # worker recover a job that is still running.
        stalled = info.data.get("stalled_after_seconds")
        if stalled is not None and value >= stalled:
            raise ValueError(f"must be below MINUTES_STALLED_AFTER_SECONDS ({stalled})")
        return value

    @field_validator("llm_model")
    @classmethod
    def _model_for_the_endpoint(cls, value: str, info: ValidationInfo) -> str:
        if info.data.get("llm_base_url") and not value:
            raise ValueError("name the model when MINUTES_LLM_BASE_URL is set")
        return value

    @field_validator("asr_base_url")
    @classmethod
    def _remote_backend_needs_an_endpoint(
        cls, value: str | None, info: ValidationInfo
    ) -> str | None:
        if info.data.get("asr_backend") == "openai" and not value:
            raise ValueError("set it when MINUTES_ASR_BACKEND=openai")
        return value

    @field_validator("llm_base_url", "asr_base_url", "log_dir", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        return None if value == "" else value

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            return [origin.strip() for origin in value.split(",") if origin.strip()]
        return value

    @field_validator("source_roots", mode="before")
    @classmethod
    def _split_roots(cls, value: object) -> object:
        if isinstance(value, str):
            return [part for part in value.split(os.pathsep) if part]
        return value

    @field_validator("language", mode="before")
    @classmethod
    def _empty_language_detects(cls, value: object) -> object:
        return None if value == "" else value

    @cached_property
    def allowed_source_roots(self) -> list[Path]:
        roots = self.source_roots or [Path.home(), Path.cwd(), self.data_dir]
        return [root.expanduser().resolve() for root in roots]

    @property
    def cache_dir(self) -> Path:
        return self.data_dir / "cache"

    @property
    def models_dir(self) -> Path:
        return self.model_cache_dir or self.data_dir / "models"


def load_settings(**overrides: object) -> Settings:
    """Read the settings, turning validation errors into one message per variable."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as error:
        problems = []
        for item in error.errors():
            field = str(item["loc"][0]) if item["loc"] else "?"
            problems.append(f"{ENV_PREFIX}{field.upper()}: {item['msg']}")
        raise SettingsError("invalid settings: " + "; ".join(problems)) from None
