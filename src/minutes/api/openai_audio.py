"""OpenAI's transcription API, served by minutes: `POST /v1/audio/transcriptions`, `GET /v1/models`.

Apps written against OpenAI's SDK set `base_url` to `<minutes>/v1` and use a minutes API key.
Each request becomes an ordinary meeting (listed, searchable, diarized and summarized in the
background); the answer comes as soon as its transcript is saved. Errors have OpenAI's
shape, `{"error": {"message", "type", "param", "code"}}`.
"""

from __future__ import annotations

import json
import math
import uuid
from collections.abc import AsyncIterator
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse, PlainTextResponse
from fastapi.security import HTTPAuthorizationCredentials
from pydantic import BaseModel, Field, ValidationError
from sse_starlette import EventSourceResponse
from starlette.datastructures import FormData, UploadFile

from minutes import exports
from minutes.api.deps import SettingsDep, StorageDep, authenticated, bearer
from minutes.api.events import LiveSegment, follow_transcription, wait_for_transcript
from minutes.api.meetings import create_from_source, store_upload
from minutes.api.schemas import TITLE_LENGTH, MeetingSource
from minutes.asr.languages import language_name
from minutes.db.api_keys import ApiKey
from minutes.db.meetings import Meeting, get_segments
from minutes.transcript import Segment
from minutes.weights import BUNDLED

router = APIRouter(prefix="/v1", tags=["openai"])

ALIASES = ("whisper-1", "gpt-4o-transcribe", "gpt-4o-mini-transcribe")
"""Model names OpenAI clients send; each means the server's configured Whisper model."""
ResponseFormat = Literal["json", "text", "srt", "vtt", "verbose_json"]
Granularity = Literal["segment", "word"]


class OpenAIError(Exception):
    """An error answered in OpenAI's shape, so its SDKs raise their usual exceptions."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        kind: str = "invalid_request_error",
        param: str | None = None,
        code: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status, self.kind, self.param, self.code = status, kind, param, code


def _error_body(error: OpenAIError) -> dict[str, str | None]:
    return {"message": str(error), "type": error.kind, "param": error.param, "code": error.code}


async def openai_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, OpenAIError)
    return JSONResponse({"error": _error_body(error)}, status_code=error.status)


def openai_key(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> ApiKey:
    key = authenticated(request, credentials)
    if key is None:
        raise OpenAIError(401, "Incorrect API key provided.", code="invalid_api_key")
    return key


OpenAIKey = Annotated[ApiKey, Depends(openai_key)]


class ModelCard(BaseModel):
    id: str
    object: Literal["model"] = "model"
    created: int
    owned_by: str = "minutes"


class ModelList(BaseModel):
    object: Literal["list"] = "list"
    data: list[ModelCard]


@router.get("/models", response_model=ModelList)
def list_models(request: Request, settings: SettingsDep, key: OpenAIKey) -> ModelList:
    """The aliases OpenAI clients use, the configured model and the bundled ones."""
    names = dict.fromkeys([*ALIASES, settings.whisper_model, *BUNDLED])
    created = int(request.app.state.started)
    return ModelList(data=[ModelCard(id=name, created=created) for name in names])


class TranscriptionRequest(BaseModel):
    """The form fields beside `file`, as OpenAI defines them."""

    model: str = Field(min_length=1, max_length=200)
    language: str | None = Field(None, max_length=10)
    prompt: str | None = Field(None, max_length=4000)
    response_format: ResponseFormat = "json"
    temperature: float | None = Field(None, ge=0, le=1)
    timestamp_granularities: list[Granularity] = Field(default_factory=list)
    stream: bool = False

    def source(self, storage_key: str, filename: str | None) -> MeetingSource:
        """The meeting to create, titled with the upload's file name."""
        return MeetingSource(
            audio_storage_path=storage_key,
            title=filename[:TITLE_LENGTH] if filename else None,
            language=self.language or None,
            model=None if self.model in ALIASES else self.model,
            prompt=self.prompt or None,
            temperature=self.temperature,
        )


_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file", "model"],
                    "properties": {
                        "file": {"type": "string", "format": "binary"},
                        "model": {"type": "string", "example": "whisper-1"},
                        "language": {"type": "string"},
                        "prompt": {"type": "string"},
                        "response_format": {
                            "type": "string",
                            "enum": ["json", "text", "srt", "vtt", "verbose_json"],
                        },
                        "temperature": {"type": "number"},
                        "stream": {"type": "boolean"},
                        "timestamp_granularities[]": {
                            "type": "array",
                            "items": {"type": "string", "enum": ["segment", "word"]},
                        },
                    },
                }
            }
        },
    }
}


def _fields(form: FormData) -> TranscriptionRequest:
    fields: dict[str, Any] = {
        name: value
        for name in ("model", "language", "prompt", "response_format", "temperature", "stream")
        if isinstance(value := form.get(name), str)
    }
    fields["timestamp_granularities"] = [
        value
        for name in ("timestamp_granularities[]", "timestamp_granularities")
        for value in form.getlist(name)
        if isinstance(value, str)
    ]
    try:
        request = TranscriptionRequest.model_validate(fields)
    except ValidationError as error:
        first = error.errors()[0]
        param = ".".join(str(part) for part in first["loc"]) or None
        raise OpenAIError(400, f"{param}: {first['msg']}", param=param) from None
    if request.stream and request.response_format not in ("json", "text"):
        raise OpenAIError(400, "stream works with response_format 'json' or 'text'", param="stream")
    if request.timestamp_granularities and request.response_format != "verbose_json":
        raise OpenAIError(
            400,
            "timestamp_granularities needs response_format 'verbose_json'",
            param="timestamp_granularities",
        )
    return request


@router.post(
    "/audio/transcriptions",
    openapi_extra=_BODY,
    response_class=Response,
    responses={
        200: {"content": {"application/json": {}, "text/plain": {}, "text/event-stream": {}}}
    },
)
async def create_transcription(
    request: Request, key: OpenAIKey, settings: SettingsDep, storage: StorageDep
) -> Response:
    """Transcribe an upload the way OpenAI's endpoint does; the meeting id comes back in the
    `Minutes-Meeting-Id` header."""
    form = await request.form(max_files=1, max_fields=20)
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        raise OpenAIError(400, "a `file` part is required", param="file")
    fields = _fields(form)
    meeting_id = uuid.uuid4()
    storage_key = await store_upload(storage, upload, meeting_id, settings.max_file_bytes)
    source = fields.source(storage_key, upload.filename)
    with request.app.state.pool.connection() as conn:
        create_from_source(conn, key, source, meeting_id)
    headers = {"Minutes-Meeting-Id": str(meeting_id)}
    if fields.stream:
        return EventSourceResponse(
            _stream(request, meeting_id, settings.transcription_wait_seconds), headers=headers
        )
    meeting, segments = await _transcribed(request, meeting_id, settings.transcription_wait_seconds)
    return _render(fields, meeting, segments, headers)


async def _transcribed(
    request: Request, meeting_id: UUID, wait_seconds: float
) -> tuple[Meeting, list[Segment]]:
    meeting = await wait_for_transcript(request.app.state.database_url, meeting_id, wait_seconds)
    return _checked(request, meeting_id, meeting, wait_seconds)


def _checked(
    request: Request, meeting_id: UUID, meeting: Meeting | None, wait_seconds: float
) -> tuple[Meeting, list[Segment]]:
    """The meeting and its saved segments; OpenAIError when transcription failed or the
    wait ran out."""
    if meeting is None:
        raise OpenAIError(
            504,
            f"still transcribing after {wait_seconds:g} s; the result "
            f"will be at /meetings/{meeting_id}/transcript",
            kind="server_error",
            code="timeout",
        )
    if meeting.status == "failed" and meeting.stage in ("ingest", "transcribe"):
        raise _failure(meeting.error_message or "transcription failed")
    with request.app.state.pool.connection() as conn:
        segments = [_without_speaker(segment) for segment in get_segments(conn, meeting_id)]
    return meeting, segments


def _delta(text: str, first: bool) -> dict[str, str]:
    event = {"type": "transcript.text.delta", "delta": text if first else f" {text}"}
    return {"data": json.dumps(event)}


async def _stream(
    request: Request, meeting_id: UUID, wait_seconds: float
) -> AsyncIterator[dict[str, str]]:
    """OpenAI's stream events: a `transcript.text.delta` per segment as the worker finds it,
    then `transcript.text.done` with the saved text. Segments are told apart by their start,
    so a retried stage does not repeat them; any the stream missed come before `done`. An
    error after the stream began is sent as an `error` event."""
    url, last_start, first = request.app.state.database_url, -1.0, True
    meeting: Meeting | None = None
    async for item in follow_transcription(url, meeting_id, wait_seconds):
        if not isinstance(item, LiveSegment):
            meeting = item
        elif item.start > last_start:
            yield _delta(item.text, first)
            last_start, first = item.start, False
    try:
        _, segments = _checked(request, meeting_id, meeting, wait_seconds)
    except OpenAIError as error:
        yield {"data": json.dumps({"error": _error_body(error)})}
        return
    for segment in segments:
        if segment.start > last_start:
            yield _delta(segment.text, first)
            last_start, first = segment.start, False
    text = " ".join(segment.text for segment in segments)
    yield {"data": json.dumps({"type": "transcript.text.done", "text": text})}


def _failure(reason: str) -> OpenAIError:
    """The meeting's own reason, with the status OpenAI would give: bad input is the
    caller's (400), retries spent on an outage are 503, anything else 500."""
    if "internal error" in reason:
        return OpenAIError(500, reason, kind="server_error")
    if reason.endswith("attempts)"):
        return OpenAIError(503, reason, kind="server_error")
    return OpenAIError(400, reason)


def _without_speaker(segment: Segment) -> Segment:
    """OpenAI's formats have no speakers (diarization may already have named some)."""
    return segment.model_copy(update={"speaker_label": None, "speaker_name": None})


def _render(
    fields: TranscriptionRequest, meeting: Meeting, segments: list[Segment], headers: dict[str, str]
) -> Response:
    text = " ".join(segment.text for segment in segments)
    duration = meeting.duration_seconds or 0.0
    usage = {"type": "duration", "seconds": math.ceil(duration)}
    match fields.response_format:
        case "json":
            return JSONResponse({"text": text, "usage": usage}, headers=headers)
        case "text":
            return PlainTextResponse(text + "\n", headers=headers)
        case "srt":
            return PlainTextResponse(exports.srt(segments), headers=headers)
        case "vtt":
            return PlainTextResponse(exports.vtt(segments), headers=headers)
    body: dict[str, Any] = {
        "task": "transcribe",
        "language": language_name(meeting.language or ""),
        "duration": duration,
        "text": text,
    }
    granularities = fields.timestamp_granularities or ["segment"]
    if "segment" in granularities:
        body["segments"] = [
            _segment_json(index, segment, fields.temperature or 0.0)
            for index, segment in enumerate(segments)
        ]
    if "word" in granularities:
        body["words"] = [
            {"word": word.word, "start": word.start, "end": word.end}
            for segment in segments
            for word in segment.words
        ]
    body["usage"] = usage
    return JSONResponse(body, headers=headers)


def _segment_json(index: int, segment: Segment, temperature: float) -> dict[str, Any]:
    """OpenAI's segment object; `tokens` stays empty (minutes keeps words, not token ids)."""
    return {
        "id": index,
        "seek": round(segment.start * 100),
        "start": segment.start,
        "end": segment.end,
        "text": segment.text,
        "tokens": [],
        "temperature": temperature,
        "avg_logprob": math.log(segment.confidence) if segment.confidence else None,
        "compression_ratio": segment.compression_ratio,
        "no_speech_prob": segment.no_speech_prob,
    }
