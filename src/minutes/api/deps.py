"""What every route needs: a database connection, the caller's API key, their meetings."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated
from uuid import UUID

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from minutes.config import Settings
from minutes.db import Connection
from minutes.db.api_keys import ApiKey, authenticate
from minutes.db.meetings import Meeting, get_meeting
from minutes.storage import Storage

bearer = HTTPBearer(auto_error=False, description="An API key from `minutes keys create`.")


def db(request: Request) -> Iterator[Connection]:
    with request.app.state.pool.connection() as conn:
        yield conn


Db = Annotated[Connection, Depends(db)]


def settings(request: Request) -> Settings:
    configured: Settings = request.app.state.settings
    return configured


def storage(request: Request) -> Storage:
    opened: Storage = request.app.state.storage
    return opened


def authenticated(
    request: Request, credentials: HTTPAuthorizationCredentials | None
) -> ApiKey | None:
    """The caller's live key, if the bearer token is one."""
    if credentials is None:
        return None
    with request.app.state.pool.connection() as conn:
        return authenticate(conn, credentials.credentials)


def api_key(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> ApiKey:
    key = authenticated(request, credentials)
    if key is None:
        raise HTTPException(
            401, "missing, unknown or revoked API key", headers={"WWW-Authenticate": "Bearer"}
        )
    return key


Key = Annotated[ApiKey, Depends(api_key)]
SettingsDep = Annotated[Settings, Depends(settings)]
StorageDep = Annotated[Storage, Depends(storage)]


def visible(key: ApiKey, user_id: UUID | None) -> bool:
    """A key tied to a user sees only that user's rows; an unscoped key sees all."""
    return key.user_id is None or key.user_id == user_id


def meeting_for(conn: Connection, key: ApiKey, meeting_id: UUID) -> Meeting:
    """The meeting, or 404 when it does not exist or belongs to someone else."""
    meeting = get_meeting(conn, meeting_id)
    if meeting is None or not visible(key, meeting.user_id):
        raise HTTPException(404, f"no meeting {meeting_id}")
    return meeting
