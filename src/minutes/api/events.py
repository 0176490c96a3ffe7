"""Live progress over Server-Sent Events, pushed by Postgres LISTEN/NOTIFY (no polling).

A trigger announces every change of a meeting's status, stage or progress on channel
`minutes_meetings` when its transaction commits; each stream listens on its own
connection, sends the current state first, then every change, and ends when the meeting
is completed or failed.
"""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from uuid import UUID

import psycopg
from fastapi import APIRouter, Request
from psycopg.rows import dict_row
from sse_starlette import EventSourceResponse

from minutes.api.deps import Key, meeting_for
from minutes.db.meetings import FINISHED, MEETING_COLUMNS, Meeting

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


async def wait_for_transcript(url: str, meeting_id: UUID, timeout: float) -> Meeting | None:
    """The meeting once its transcript is saved or it has finished; None after `timeout`.
    Woken by the same notifications as the event stream; no polling."""
    deadline = time.monotonic() + timeout
    async with await psycopg.AsyncConnection.connect(
        url, autocommit=True, row_factory=dict_row
    ) as listener:
        await listener.execute("LISTEN minutes_meetings")
        while True:
            row = await (await listener.execute(TRANSCRIBED, (meeting_id,))).fetchone()
            if row is None:
                return None
            if row["transcribed"] or row["status"] in FINISHED:
                meeting = await (
                    await listener.execute(
                        f"SELECT {MEETING_COLUMNS} FROM meetings WHERE id = %s", (meeting_id,)
                    )
                ).fetchone()
                return Meeting.model_validate(meeting) if meeting else None
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            async for notice in listener.notifies(timeout=remaining):
                if json.loads(notice.payload)["id"] == str(meeting_id):
                    break
