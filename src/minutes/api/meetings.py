"""Meetings: create (upload or source), read every result, cancel, retry, reprocess, delete."""

from __future__ import annotations

import json
import re
import uuid
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from fastapi.responses import PlainTextResponse, StreamingResponse
from fastapi.security import HTTPAuthorizationCredentials
from pydantic import ValidationError
from starlette.datastructures import UploadFile

from minutes import exports
from minutes.analysis.model import MeetingAnalysis, SoundEvent
from minutes.analysis.seed_mood import SeedMood, seed_mood
from minutes.api.deps import Db, Key, SettingsDep, StorageDep, api_key, bearer, meeting_for
from minutes.api.media_links import LINK_SECONDS, audio_token, valid_token
from minutes.api.schemas import AudioLink, Batch, BatchResult, Created, Job, MeetingSource
from minutes.db import Connection
from minutes.db.analysis import get_analysis, get_sound_events
from minutes.db.api_keys import ApiKey
from minutes.db.documents import get_document, load_record
from minutes.db.meetings import (
    Meeting,
    Status,
    add_event,
    create_meeting,
    fail_meeting,
    find_by_dedupe_key,
    has_queued_work,
    list_meetings,
)
from minutes.db.queue import cancel_jobs
from minutes.db.speakers import meeting_voices
from minutes.db.summaries import get_summary
from minutes.db.webhooks import Delivery, list_deliveries
from minutes.errors import BadInput
from minutes.pipeline import STAGES
from minutes.pipeline.ingest import processed_audio_key
from minutes.pipeline.reprocess import reprocess
from minutes.storage import Storage
from minutes.summary.model import MeetingSummary

router = APIRouter(tags=["meetings"])

_UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/MeetingSource"}},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {"type": "string", "format": "binary"},
                        "options": {
                            "type": "string",
                            "description": "MeetingOptions as JSON (title, language, ...)",
                        },
                    },
                }
            },
        },
    }
}


def _safe_name(filename: str | None) -> str:
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", (filename or "").rsplit("/", 1)[-1]).strip("._")
    return name[:100] or "recording"


def create_from_source(
    conn: Connection, key: ApiKey, source: MeetingSource, meeting_id: UUID | None = None
) -> Created:
    """A pending meeting for the caller (or the earlier one with the same dedupe key)."""
    if source.dedupe_key:
        earlier = find_by_dedupe_key(conn, key.user_id, source.dedupe_key)
        if earlier is not None:
            return Created(meeting=earlier, job=_job(conn, earlier), duplicate=True)
    with conn.transaction():
        meeting = create_meeting(
            conn,
            meeting_id=meeting_id,
            audio_url=source.audio_url,
            audio_storage_path=source.audio_storage_path,
            title=source.title,
            options=source.pipeline_options(),
            user_id=key.user_id,
            webhook_url=str(source.webhook_url) if source.webhook_url else None,
            dedupe_key=source.dedupe_key,
            priority=source.priority,
        )
    return Created(meeting=meeting, job=_job(conn, meeting), duplicate=False)


def _job(conn: Connection, meeting: Meeting) -> Job:
    return Job(queued=has_queued_work(conn, meeting.id), stage=meeting.stage or STAGES[0].name)


async def store_upload(storage: Storage, upload: UploadFile, meeting_id: UUID, limit: int) -> str:
    """Copy an uploaded file to `uploads/<meeting>/<safe name>` in storage; returns the key."""
    key = f"uploads/{meeting_id}/{_safe_name(upload.filename)}"

    def chunks() -> Any:
        upload.file.seek(0)
        return iter(lambda: upload.file.read(1 << 20), b"")

    try:
        storage.put_stream(key, chunks(), limit)
    finally:
        await upload.close()
    return key


async def _upload(request: Request, storage: Storage, limit: int) -> tuple[UUID, MeetingSource]:
    form = await request.form(max_files=1, max_fields=10)
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        raise HTTPException(422, "multipart body needs a `file` part")
    try:
        options = json.loads(str(form.get("options") or "{}"))
    except json.JSONDecodeError as error:
        raise HTTPException(422, f"`options` is not JSON: {error}") from None
    if not isinstance(options, dict):
        raise HTTPException(422, "`options` must be a JSON object")
    meeting_id = uuid.uuid4()
    key = await store_upload(storage, upload, meeting_id, limit)
    try:
        return meeting_id, MeetingSource.model_validate({**options, "audio_storage_path": key})
    except ValidationError as error:
        storage.delete_prefix(f"uploads/{meeting_id}")
        raise HTTPException(422, json.loads(error.json())) from None


@router.post("/meetings", status_code=201, response_model=Created, openapi_extra=_UPLOAD_BODY)
async def post_meeting(
    request: Request,
    response: Response,
    conn: Db,
    key: Key,
    settings: SettingsDep,
    storage: StorageDep,
) -> Created:
    """Upload a recording (multipart, streamed to storage, size-capped) or name a source."""
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        meeting_id, source = await _upload(request, storage, settings.max_file_bytes)
    else:
        try:
            source = MeetingSource.model_validate_json(await request.body())
        except ValidationError as error:
            raise HTTPException(422, json.loads(error.json())) from None
        meeting_id = None
    created = create_from_source(conn, key, source, meeting_id)
    if created.duplicate:
        response.status_code = 200
    return created


@router.post("/batch", status_code=201, response_model=BatchResult)
def post_batch(batch: Batch, conn: Db, key: Key) -> BatchResult:
    """Many sources at once (URLs or storage keys); each becomes its own meeting."""
    return BatchResult(created=[create_from_source(conn, key, item) for item in batch.items])


@router.get("/meetings", response_model=list[Meeting])
def get_meetings(
    conn: Db,
    key: Key,
    status: Status | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> list[Meeting]:
    return list_meetings(conn, limit, user_id=key.user_id, status=status, offset=offset)


@router.get("/meetings/{meeting_id}", response_model=Meeting)
def get_one(meeting_id: UUID, conn: Db, key: Key) -> Meeting:
    """Status, stage, progress and error of one meeting."""
    return meeting_for(conn, key, meeting_id)


_MEDIA = {
    "txt": "text/plain",
    "json": "application/json",
    "srt": "application/x-subrip",
    "vtt": "text/vtt",
    "md": "text/markdown",
}


@router.get("/meetings/{meeting_id}/transcript", response_class=PlainTextResponse)
def get_transcript(
    meeting_id: UUID, conn: Db, key: Key, format: exports.Format = "json"
) -> Response:
    meeting_for(conn, key, meeting_id)
    record = load_record(conn, meeting_id)
    assert record is not None
    body = exports.render(record, format)
    return Response(body, media_type=f"{_MEDIA[format]}; charset=utf-8")


@router.get("/meetings/{meeting_id}/summary", response_model=MeetingSummary)
def get_meeting_summary(meeting_id: UUID, conn: Db, key: Key) -> MeetingSummary:
    meeting_for(conn, key, meeting_id)
    summary = get_summary(conn, meeting_id)
    if summary is None:
        raise HTTPException(404, "no summary yet")
    return summary


@router.get("/meetings/{meeting_id}/document", response_class=PlainTextResponse)
def get_meeting_document(meeting_id: UUID, conn: Db, key: Key) -> Response:
    """The stored markdown document (written when summarize finishes)."""
    meeting_for(conn, key, meeting_id)
    document = get_document(conn, meeting_id)
    if document is None:
        raise HTTPException(404, "no document yet")
    return Response(document, media_type="text/markdown; charset=utf-8")


@router.get("/meetings/{meeting_id}/speakers")
def get_meeting_speakers(meeting_id: UUID, conn: Db, key: Key) -> list[dict[str, Any]]:
    """The meeting's voices: label, matched name, talk time."""
    meeting_for(conn, key, meeting_id)
    return meeting_voices(conn, meeting_id)


@router.get("/meetings/{meeting_id}/sounds")
def get_meeting_sounds(meeting_id: UUID, conn: Db, key: Key) -> dict[str, Any]:
    """Sound events (speech included, as a timeline) and the voice/mood analysis."""
    meeting_for(conn, key, meeting_id)
    analysis: MeetingAnalysis | None = get_analysis(conn, meeting_id)
    events: list[SoundEvent] = get_sound_events(conn, meeting_id)
    return {
        "events": [event.model_dump() for event in events],
        "analysis": analysis.model_dump() if analysis else None,
    }


@router.get("/meetings/{meeting_id}/mood", response_model=SeedMood)
def get_meeting_mood(meeting_id: UUID, conn: Db, key: Key) -> SeedMood:
    """Mood and main sound in the seed's shape, for front ends that already read it."""
    meeting_for(conn, key, meeting_id)
    analysis = get_analysis(conn, meeting_id)
    if analysis is None:
        raise HTTPException(404, "not analysed yet")
    return seed_mood(analysis, get_sound_events(conn, meeting_id))


@router.get("/meetings/{meeting_id}/webhooks", response_model=list[Delivery])
def get_meeting_webhooks(meeting_id: UUID, conn: Db, key: Key) -> list[Delivery]:
    """Every webhook delivery for this meeting and its attempts."""
    meeting_for(conn, key, meeting_id)
    return list_deliveries(conn, meeting_id)


_RANGE = re.compile(r"bytes=(\d*)-(\d*)$")


@router.get("/meetings/{meeting_id}/audio-link", response_model=AudioLink)
def get_audio_link(meeting_id: UUID, conn: Db, key: Key, settings: SettingsDep) -> AudioLink:
    """A signed URL to the audio, valid for an hour, for an `<audio>` element."""
    meeting_for(conn, key, meeting_id)
    token = audio_token(settings, meeting_id)
    return AudioLink(url=f"/meetings/{meeting_id}/audio?token={token}", expires_in=LINK_SECONDS)


@router.get("/meetings/{meeting_id}/audio", response_class=StreamingResponse)
def get_audio(
    meeting_id: UUID,
    request: Request,
    settings: SettingsDep,
    storage: StorageDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    token: Annotated[str | None, Query(max_length=200, description="From /audio-link")] = None,
) -> Response:
    """The processed audio (16 kHz mono WAV), with HTTP range requests for seeking; an API
    key or a signed link's token."""
    if token is None or not valid_token(settings, meeting_id, token):
        key = api_key(request, credentials)
        with request.app.state.pool.connection() as conn:
            meeting_for(conn, key, meeting_id)
    name = processed_audio_key(meeting_id)
    size = storage.size(name)
    if size is None:
        raise HTTPException(404, "no processed audio yet")
    headers = {"Accept-Ranges": "bytes", "Content-Type": "audio/wav"}
    wanted = request.headers.get("range")
    if not wanted:
        headers["Content-Length"] = str(size)
        return StreamingResponse(storage.read_range(name, 0, size - 1), headers=headers)
    match = _RANGE.match(wanted.strip())
    if not match or match.groups() == ("", ""):
        raise HTTPException(416, "unsupported range", headers={"Content-Range": f"bytes */{size}"})
    first, last = match.groups()
    if first:
        start, end = int(first), min(int(last), size - 1) if last else size - 1
    else:
        start, end = max(size - int(last), 0), size - 1
    if start >= size or start > end:
        raise HTTPException(
            416, "range not satisfiable", headers={"Content-Range": f"bytes */{size}"}
        )
    headers |= {
        "Content-Range": f"bytes {start}-{end}/{size}",
        "Content-Length": str(end - start + 1),
    }
    return StreamingResponse(storage.read_range(name, start, end), status_code=206, headers=headers)


@router.post("/meetings/{meeting_id}/cancel", response_model=Meeting)
def cancel(meeting_id: UUID, conn: Db, key: Key) -> Meeting:
    """Stop a queued or running meeting; it ends `failed` with "cancelled"."""
    meeting = meeting_for(conn, key, meeting_id)
    if meeting.finished:
        raise HTTPException(409, f"meeting is already {meeting.status}")
    with conn.transaction():
        waiting, running = cancel_jobs(conn, meeting_id)
        fail_meeting(conn, meeting_id, "cancelled by request")
        add_event(
            conn,
            meeting_id,
            "meeting.cancelled",
            meeting.stage,
            {"waiting": waiting, "running": running},
        )
    return meeting_for(conn, key, meeting_id)


@router.post("/meetings/{meeting_id}/retry", response_model=Meeting)
def retry(meeting_id: UUID, conn: Db, key: Key) -> Meeting:
    """Run a failed meeting again from the stage that failed."""
    meeting = meeting_for(conn, key, meeting_id)
    if meeting.status != "failed":
        raise HTTPException(409, f"only failed meetings are retried; this one is {meeting.status}")
    try:
        return reprocess(conn, meeting_id, meeting.stage or STAGES[0].name)
    except BadInput as error:
        raise HTTPException(409, str(error)) from None


@router.post("/meetings/{meeting_id}/reprocess", response_model=Meeting)
def post_reprocess(
    meeting_id: UUID,
    conn: Db,
    key: Key,
    from_stage: Annotated[str, Query(alias="from", description="The stage to start from")],
) -> Meeting:
    """Run the meeting again from one stage on, keeping what the stages before it made."""
    meeting_for(conn, key, meeting_id)
    if from_stage not in {stage.name for stage in STAGES}:
        raise HTTPException(
            422, f"no stage {from_stage!r}; stages: {', '.join(s.name for s in STAGES)}"
        )
    try:
        return reprocess(conn, meeting_id, from_stage)
    except BadInput as error:
        raise HTTPException(409, str(error)) from None


@router.delete("/meetings/{meeting_id}", status_code=204, response_class=Response)
def delete(
    meeting_id: UUID, conn: Db, key: Key, settings: SettingsDep, storage: StorageDep
) -> Response:
    """Remove the meeting, every result and its stored audio."""
    meeting_for(conn, key, meeting_id)
    with conn.transaction():
        cancel_jobs(conn, meeting_id)
        conn.execute("DELETE FROM meetings WHERE id = %s", (meeting_id,))
    storage.delete_prefix(f"uploads/{meeting_id}")
    storage.delete_prefix(f"meetings/{meeting_id}")
    (settings.data_dir / "audio" / f"{meeting_id}.wav").unlink(missing_ok=True)
    return Response(status_code=204)
