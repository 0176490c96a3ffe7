"""Live progress over Server-Sent Events, pushed by Postgres LISTEN/NOTIFY (no polling).

A trigger announces every change of a meeting's status, stage or progress on channel
`minutes_meetings` when its transaction commits; each stream listens on its own
connection, sends the current state first, then every change, and ends when the meeting
is completed or failed.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from uuid import UUID

import psycopg
from fastapi import APIRouter, Request
from sse_starlette import EventSourceResponse

from minutes.api.deps import Key, meeting_for
from minutes.db.meetings import FINISHED

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
