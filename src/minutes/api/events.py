"""Live progress over Server-Sent Events, pushed by Postgres LISTEN/NOTIFY (no polling).

A trigger announces every change of a meeting's status, stage or progress on channel
`minutes_meetings` when its transaction commits; each stream listens on its own
connection, sends the current state first, then every change, and ends when the meeting
is completed or failed.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import psycopg
from fastapi import APIRouter, Request
from psycopg.rows import dict_row
from sse_starlette import EventSourceResponse

from minutes.api.deps import Key, meeting_for
from minutes.db.meetings import FINISHED, MEETING_COLUMNS, TRANSCRIPT_CHANNEL, Meeting

router = APIRouter(tags=["meetings"])
KEEPALIVE_SECONDS = 15


@router.get(
    "/meetings/{meeting_id}/events",
    response_class=EventSourceResponse,
    responses={200: {"content": {"text/event-stream": {}}, "description": "progress events"}},
)
def meeting_events(meeting_id: UUID, request: Request, key: Key) -> EventSourceResponse:
    """`event: progress` with {id, status, stage, progress, error_message} on every change."""
    with request.app.state.pool.connection() as conn:
        meeting_for(conn, key, meeting_id)
    url: str = request.app.state.database_url

    async def stream() -> AsyncIterator[dict[str, str]]:
        async with await psycopg.AsyncConnection.connect(url, autocommit=True) as listener:
            await listener.execute("LISTEN minutes_meetings")
            # the state after LISTEN, so no change between the two is missed
            async with listener.cursor() as cursor:
                await cursor.execute(
                    "SELECT id, status, stage, progress, error_message FROM meetings WHERE id = %s",
                    (meeting_id,),
                )
                row = await cursor.fetchone()
            if row is None:
                return
            current = dict(
                zip(("id", "status", "stage", "progress", "error_message"), row, strict=True)
            )
            current["id"] = str(current["id"])
            yield {"event": "progress", "data": json.dumps(current)}
            if current["status"] in FINISHED:
                return
            async for notice in listener.notifies():
                change = json.loads(notice.payload)
                if change["id"] != str(meeting_id):
                    continue
                yield {"event": "progress", "data": json.dumps(change)}
                if change["status"] in FINISHED or await request.is_disconnected():
                    return

    return EventSourceResponse(stream(), ping=KEEPALIVE_SECONDS)


TRANSCRIBED = (
    "SELECT m.status, EXISTS (SELECT 1 FROM meeting_events e WHERE e.meeting_id = m.id"
    " AND e.kind = 'stage.completed' AND e.stage = 'transcribe') AS transcribed"
    " FROM meetings m WHERE m.id = %s"
)


@dataclass(frozen=True)
class LiveSegment:
    """A segment the worker announced while transcribing (the saved one may differ after
    a retry)."""

    start: float
    end: float
    text: str


async def follow_transcription(
    url: str, meeting_id: UUID, timeout: float
) -> AsyncIterator[LiveSegment | Meeting | None]:
    """Segments as the worker announces them, then the meeting once its transcript is saved
    or it has finished, or None after `timeout`. Woken by notifications; no polling.

    One connection only listens (leaving psycopg's notification generator mid-batch would
    drop the rest of the batch); a second one reads the meeting's state. Segments announced
    before this started listening are not repeated."""
    connect = psycopg.AsyncConnection.connect
    async with (
        await connect(url, autocommit=True) as listener,
        await connect(url, autocommit=True, row_factory=dict_row) as reader,
    ):
        await listener.execute("LISTEN minutes_meetings")
        await listener.execute(f"LISTEN {TRANSCRIPT_CHANNEL}")
        ready, meeting = await _transcribed(reader, meeting_id)
        if not ready:
            async for notice in listener.notifies(timeout=timeout):
                payload = json.loads(notice.payload)
                if payload["id"] != str(meeting_id):
                    continue
                if notice.channel == TRANSCRIPT_CHANNEL:
                    yield LiveSegment(payload["start"], payload["end"], payload["text"])
                    continue
                ready, meeting = await _transcribed(reader, meeting_id)
                if ready:
                    break
        yield meeting


async def _transcribed(
    reader: psycopg.AsyncConnection[dict[str, Any]], meeting_id: UUID
) -> tuple[bool, Meeting | None]:
    """(True, the meeting) once transcribed or finished, (True, None) when it is gone,
    (False, None) while it is still on its way."""
    row = await (await reader.execute(TRANSCRIBED, (meeting_id,))).fetchone()
    if row is None:
        return True, None
    if not (row["transcribed"] or row["status"] in FINISHED):
        return False, None
    found = await (
        await reader.execute(f"SELECT {MEETING_COLUMNS} FROM meetings WHERE id = %s", (meeting_id,))
    ).fetchone()
    return True, Meeting.model_validate(found) if found else None


async def wait_for_transcript(url: str, meeting_id: UUID, timeout: float) -> Meeting | None:
    """The meeting once its transcript is saved or it has finished; None after `timeout`."""
    async for item in follow_transcription(url, meeting_id, timeout):
        if not isinstance(item, LiveSegment):
            return item
    return None
