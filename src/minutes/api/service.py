"""Operating the service: health, queue statistics and cleaning, search, webhook subscriptions."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import JSONResponse
from pydantic import AnyHttpUrl, BaseModel, Field

from minutes import __version__
from minutes.api.deps import Db, Key, SettingsDep, StorageDep
from minutes.db.chunks import Hit, search
from minutes.db.queue import clean_finished_jobs, queue_stats
from minutes.db.webhooks import (
    Subscription,
    add_subscription,
    delete_subscription,
    list_subscriptions,
)
from minutes.summary.extractive import TextEncoder

router = APIRouter()
EVENTS = ("meeting.processing", "meeting.transcribed", "meeting.completed", "meeting.failed")


@router.get("/health", tags=["service"])
def health(request: Request, settings: SettingsDep, storage: StorageDep) -> JSONResponse:
    """Database, storage and models; 503 when one of them is down. No API key needed."""
    checks: dict[str, Any] = {}
    try:
        with request.app.state.pool.connection(timeout=5) as conn:
            conn.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as error:
        checks["database"] = f"down: {type(error).__name__}: {error}"
    try:
        storage.check()
        checks["storage"] = "ok"
    except Exception as error:
        checks["storage"] = f"down: {error}"
    checks["models"] = {"whisper": settings.whisper_model, "llm": settings.llm_model or None}
    healthy = checks["database"] == "ok" and checks["storage"] == "ok"
    body = {"status": "ok" if healthy else "degraded", "version": __version__, "checks": checks}
    return JSONResponse(body, status_code=200 if healthy else 503)


@router.get("/queue/stats", tags=["service"])
def get_queue_stats(conn: Db, key: Key, settings: SettingsDep) -> dict[str, Any]:
    """Jobs by queue and status, the oldest waiting job's age, workers with a recent heartbeat."""
    return queue_stats(conn, settings.stalled_after_seconds)


@router.post("/queue/clean", tags=["service"])
def post_queue_clean(
    conn: Db, key: Key, older_than_days: Annotated[float, Query(ge=0, le=3650)] = 7
) -> dict[str, int]:
    """Remove finished jobs (succeeded, failed, cancelled, aborted) older than N days."""
    if key.user_id is not None:
        raise HTTPException(403, "a key scoped to a user cannot clean the shared queue")
    return {"removed": clean_finished_jobs(conn, older_than_days)}


@router.get("/search", response_model=list[Hit], tags=["search"])
def get_search(
    conn: Db,
    key: Key,
    q: Annotated[str, Query(min_length=1, max_length=500)],
    meeting: UUID | None = None,
    speaker: Annotated[str | None, Query(max_length=200)] = None,
    since: datetime | None = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
) -> list[Hit]:
    """Hybrid search (vector + full text, reciprocal rank fusion) over what was said."""
    vector = TextEncoder.load().embed([q])[0]
    return search(
        conn,
        q,
        vector,
        meeting_id=meeting,
        speaker=speaker,
        since=since,
        limit=limit,
        user_id=key.user_id,
    )


class NewSubscription(BaseModel):
    url: AnyHttpUrl
    events: list[str] = Field(default_factory=lambda: list(EVENTS), min_length=1)


@router.get("/webhooks", response_model=list[Subscription], tags=["webhooks"])
def get_subscriptions(conn: Db, key: Key) -> list[Subscription]:
    return list_subscriptions(conn, key.user_id)


@router.post("/webhooks", status_code=201, response_model=Subscription, tags=["webhooks"])
def post_subscription(body: NewSubscription, conn: Db, key: Key) -> Subscription:
    """Subscribe a URL to events of every meeting (of this key's user, when scoped)."""
    unknown = set(body.events) - set(EVENTS)
    if unknown:
        raise HTTPException(422, f"unknown events {sorted(unknown)}; known: {list(EVENTS)}")
    return add_subscription(conn, str(body.url), body.events, key.user_id)


@router.delete("/webhooks/{subscription_id}", status_code=204, tags=["webhooks"])
def delete_webhook(subscription_id: UUID, conn: Db, key: Key) -> None:
    if not delete_subscription(conn, subscription_id, key.user_id):
        raise HTTPException(404, f"no subscription {subscription_id}")
