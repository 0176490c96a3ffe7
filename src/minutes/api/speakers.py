"""Known voices: list, enrol from an upload, rename, merge, delete; name a meeting's voice."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated
from uuid import UUID

import psycopg
from fastapi import APIRouter, File, Form, HTTPException, UploadFile

from minutes.api.deps import Db, Key, SettingsDep, meeting_for
from minutes.api.schemas import SpeakerName
from minutes.db.speakers import (
    Profile,
    UnknownVoice,
    delete_profile,
    list_profiles,
    merge_profiles,
    name_voice,
    rename_profile,
)
from minutes.errors import BadInput
from minutes.speakers.enrolment import enrol

router = APIRouter(tags=["speakers"])


def _exists(conn: Db, speaker_id: UUID) -> None:
    if speaker_id not in {p.id for p in list_profiles(conn)}:
        raise HTTPException(404, f"no speaker {speaker_id}")


@router.get("/speakers", response_model=list[Profile])
def get_speakers(conn: Db, key: Key) -> list[Profile]:
    return list_profiles(conn)


@router.post("/speakers", status_code=201, response_model=Profile)
async def post_speaker(
    conn: Db,
    key: Key,
    settings: SettingsDep,
    name: Annotated[str, Form(min_length=1, max_length=200)],
    files: Annotated[list[UploadFile], File(description="Recordings of this person alone")],
) -> Profile:
    """Enrol (or improve) a voice from recordings of that person alone."""
    with tempfile.TemporaryDirectory(
        dir=settings.cache_dir if settings.cache_dir.exists() else None
    ) as scratch:
        paths = []
        for index, upload in enumerate(files):
            path = Path(scratch) / f"{index}.audio"
            size = 0
            with path.open("wb") as out:
                while piece := await upload.read(1 << 20):
                    size += len(piece)
                    if size > settings.max_file_bytes:
                        raise HTTPException(413, "recording is over MINUTES_MAX_FILE_BYTES")
                    out.write(piece)
            paths.append(path)
        try:
            speaker_id = enrol(conn, settings, name, paths)
        except BadInput as error:
            raise HTTPException(422, str(error)) from None
    return next(p for p in list_profiles(conn) if p.id == speaker_id)


@router.patch("/speakers/{speaker_id}", response_model=Profile)
def patch_speaker(speaker_id: UUID, body: SpeakerName, conn: Db, key: Key) -> Profile:
    """Rename a voice; the documents that show it are rewritten."""
    try:
        with conn.transaction():
            found = rename_profile(conn, speaker_id, body.name)
    except psycopg.errors.UniqueViolation:
        raise HTTPException(409, f"another speaker is already called {body.name!r}") from None
    if not found:
        raise HTTPException(404, f"no speaker {speaker_id}")
    return next(p for p in list_profiles(conn) if p.id == speaker_id)


@router.post("/speakers/{speaker_id}/merge", response_model=Profile)
def post_merge(speaker_id: UUID, into: UUID, conn: Db, key: Key) -> Profile:
    """Fold this voice into `into` (the same person enrolled twice)."""
    if speaker_id == into:
        raise HTTPException(422, "a speaker cannot be merged into itself")
    _exists(conn, speaker_id)
    _exists(conn, into)
    with conn.transaction():
        merge_profiles(conn, into, speaker_id)
    return next(p for p in list_profiles(conn) if p.id == into)


@router.delete("/speakers/{speaker_id}", status_code=204)
def delete_speaker(speaker_id: UUID, conn: Db, key: Key) -> None:
    _exists(conn, speaker_id)
    with conn.transaction():
        delete_profile(conn, speaker_id)


@router.put("/meetings/{meeting_id}/speakers/{label}", response_model=Profile)
def put_meeting_speaker(
    meeting_id: UUID, label: str, body: SpeakerName, conn: Db, key: Key
) -> Profile:
    """Say who a meeting's voice is: enrols it and relabels the meeting."""
    meeting_for(conn, key, meeting_id)
    try:
        with conn.transaction():
            speaker_id = name_voice(conn, meeting_id, label, body.name)
    except UnknownVoice as error:
        raise HTTPException(404, str(error)) from None
    return next(p for p in list_profiles(conn) if p.id == speaker_id)
