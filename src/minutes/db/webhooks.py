"""Webhook subscriptions and the delivery outbox, as the API shows them."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel

from minutes.db import Connection


class Delivery(BaseModel):
    id: int
    event: str
    url: str
    status: str
    attempts: int
    last_status: int | None
    last_error: str | None
    next_attempt_at: datetime
    created_at: datetime
    delivered_at: datetime | None


class Subscription(BaseModel):
    id: UUID
    url: str
    events: list[str]
    user_id: UUID | None
    created_at: datetime


def list_deliveries(conn: Connection, meeting_id: UUID) -> list[Delivery]:
    rows = conn.execute(
        f"SELECT {', '.join(Delivery.model_fields)} FROM webhook_deliveries"
        " WHERE meeting_id = %s ORDER BY id",
        (meeting_id,),
    ).fetchall()
    return [Delivery.model_validate(row) for row in rows]


def add_subscription(
    conn: Connection, url: str, events: list[str], user_id: UUID | None
) -> Subscription:
    row = conn.execute(
        f"INSERT INTO webhook_subscriptions (url, events, user_id) VALUES (%s, %s, %s)"
        f" RETURNING {', '.join(Subscription.model_fields)}",
        (url, events, user_id),
    ).fetchone()
    return Subscription.model_validate(row)


def list_subscriptions(conn: Connection, user_id: UUID | None) -> list[Subscription]:
    rows = conn.execute(
        f"SELECT {', '.join(Subscription.model_fields)} FROM webhook_subscriptions"
        " WHERE %s::uuid IS NULL OR user_id = %s ORDER BY created_at",
        (user_id, user_id),
    ).fetchall()
    return [Subscription.model_validate(row) for row in rows]


def delete_subscription(conn: Connection, subscription_id: UUID, user_id: UUID | None) -> bool:
    row = conn.execute(
        "DELETE FROM webhook_subscriptions WHERE id = %s AND (%s::uuid IS NULL OR user_id = %s)"
        " RETURNING id",
        (subscription_id, user_id, user_id),
    ).fetchone()
    return row is not None
