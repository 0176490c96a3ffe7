"""API keys: shown once when made, stored only as a sha256 hash, optionally tied to a user."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime
from uuid import UUID

from pydantic import BaseModel

from minutes.db import Connection

KEY_PREFIX = "mk_"


class ApiKey(BaseModel):
    id: UUID
    name: str
    prefix: str
    user_id: UUID | None
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


_COLUMNS = ", ".join(ApiKey.model_fields)


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_key(conn: Connection, name: str, user_id: UUID | None = None) -> tuple[ApiKey, str]:
    """A new key and its secret, which is not stored and cannot be shown again."""
    secret = KEY_PREFIX + secrets.token_urlsafe(32)
    row = conn.execute(
        f"INSERT INTO api_keys (name, prefix, key_hash, user_id) VALUES (%s, %s, %s, %s)"
        f" RETURNING {_COLUMNS}",
        (name, secret[:10], _hash(secret), user_id),
    ).fetchone()
    return ApiKey.model_validate(row), secret


def list_keys(conn: Connection) -> list[ApiKey]:
    rows = conn.execute(f"SELECT {_COLUMNS} FROM api_keys ORDER BY created_at").fetchall()
    return [ApiKey.model_validate(row) for row in rows]


def revoke_key(conn: Connection, id_or_prefix: str) -> bool:
    row = conn.execute(
        "UPDATE api_keys SET revoked_at = now() WHERE revoked_at IS NULL"
        " AND (id::text = %s OR prefix = %s) RETURNING id",
        (id_or_prefix, id_or_prefix),
    ).fetchone()
    return row is not None


def authenticate(conn: Connection, secret: str) -> ApiKey | None:
    """The live key with this secret (and note its use), or None."""
    row = conn.execute(
        f"UPDATE api_keys SET last_used_at = now() WHERE key_hash = %s AND revoked_at IS NULL"
        f" RETURNING {_COLUMNS}",
        (_hash(secret),),
    ).fetchone()
    return ApiKey.model_validate(row) if row else None
