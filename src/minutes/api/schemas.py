"""Request and response bodies of the API (everything else returns the store's models)."""

from __future__ import annotations

from typing import Any

from pydantic import AnyHttpUrl, BaseModel, Field, model_validator

from minutes.db.meetings import Meeting

TITLE_LENGTH = 500


class MeetingOptions(BaseModel):
    title: str | None = Field(None, max_length=TITLE_LENGTH)
    language: str | None = Field(None, max_length=10, description="Force a language code")
    model: str | None = Field(None, max_length=200, description="Whisper model for this one")
    speakers: int | None = Field(None, ge=1, le=32, description="Exact number of speakers")
    min_speakers: int | None = Field(None, ge=1, le=32)
    max_speakers: int | None = Field(None, ge=1, le=32)
    prompt: str | None = Field(
        None, max_length=4000, description="Words to expect (names, jargon), given to Whisper"
    )
    temperature: float | None = Field(
        None, ge=0, le=1, description="Sampling temperature; empty uses Whisper's fallback ladder"
    )
    priority: int = Field(
        0, ge=-100, le=100, description="Higher runs first; every stage of the meeting keeps it"
    )
    webhook_url: AnyHttpUrl | None = None
    dedupe_key: str | None = Field(
        None, max_length=200, description="A second request with the same key returns the first"
    )

    def pipeline_options(self) -> dict[str, Any]:
        options = {
            "language": self.language,
            "model": self.model,
            "num_speakers": self.speakers,
            "min_speakers": self.min_speakers,
            "max_speakers": self.max_speakers,
            "prompt": self.prompt,
            "temperature": self.temperature,
        }
        return {key: value for key, value in options.items() if value is not None}


class MeetingSource(MeetingOptions):
    audio_url: str | None = Field(
        None, max_length=4000, description="http(s) URL, s3://bucket/key, or a server-side path"
    )
    audio_storage_path: str | None = Field(
        None, max_length=1000, description="A key in the configured storage"
    )

    @model_validator(mode="after")
    def _one_source(self) -> MeetingSource:
        if bool(self.audio_url) == bool(self.audio_storage_path):
            raise ValueError("give exactly one of audio_url and audio_storage_path")
        return self


class Batch(BaseModel):
    items: list[MeetingSource] = Field(min_length=1, max_length=100)


class Job(BaseModel):
    queued: bool
    stage: str | None


class Created(BaseModel):
    meeting: Meeting
    job: Job
    duplicate: bool = Field(description="True when dedupe_key matched an earlier meeting")


class BatchResult(BaseModel):
    created: list[Created]


class SpeakerName(BaseModel):
    name: str = Field(min_length=1, max_length=200)


class AudioLink(BaseModel):
    url: str
    expires_in: int = Field(description="Seconds the link stays valid")
