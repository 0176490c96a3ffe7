"""Deliver due outbox rows: POST the signed JSON, then mark delivered or schedule a retry.

Rows are claimed with FOR UPDATE SKIP LOCKED, so many workers share the outbox and no row
is sent by two at once; the claim lasts only while one row is sent. A 2xx marks the row
delivered; anything else (or no answer within the timeout) schedules the next try after
RETRY_BASE_SECONDS * 2^attempts, until MAX_ATTEMPTS, then the row is `failed`.
"""

from __future__ import annotations

import json

import httpx
import structlog

from minutes.config import Settings
from minutes.db import Connection
from minutes.signing_secrets import webhook_secret
from minutes.webhooks.signing import signed_headers

log = structlog.get_logger(__name__)
MAX_ATTEMPTS = 8


def deliver_due(conn: Connection, settings: Settings, limit: int = 20) -> int:
    """Send up to `limit` due deliveries; returns how many were attempted."""
    secret = webhook_secret(settings)
    attempted = 0
    with httpx.Client(timeout=settings.webhook_timeout_seconds) as client:
        for _ in range(limit):
            with conn.transaction():
                row = conn.execute(
                    "SELECT id, url, event, payload, attempts FROM webhook_deliveries"
                    " WHERE status = 'pending' AND next_attempt_at <= now()"
                    " ORDER BY next_attempt_at, id LIMIT 1 FOR UPDATE SKIP LOCKED"
                ).fetchone()
                if row is None:
                    break
                attempted += 1
                body = json.dumps(row["payload"], separators=(",", ":")).encode()
                status, error = _post(client, row["url"], body, signed_headers(secret, body))
                attempts = row["attempts"] + 1
                if status is not None and 200 <= status < 300:
                    conn.execute(
                        "UPDATE webhook_deliveries SET status = 'delivered', attempts = %s,"
                        " last_status = %s, last_error = NULL, delivered_at = now() WHERE id = %s",
                        (attempts, status, row["id"]),
                    )
                    log.info("webhook.delivered", webhook_event=row["event"], delivery=row["id"])
                    continue
                delay = settings.webhook_retry_base_seconds * 2 ** (attempts - 1)
                conn.execute(
                    "UPDATE webhook_deliveries SET attempts = %s, last_status = %s,"
                    " last_error = %s, next_attempt_at = now() + make_interval(secs => %s),"
                    " status = CASE WHEN %s >= %s THEN 'failed' ELSE 'pending' END WHERE id = %s",
                    (attempts, status, error, delay, attempts, MAX_ATTEMPTS, row["id"]),
                )
                log.warning(
                    "webhook.retry",
                    webhook_event=row["event"],
                    delivery=row["id"],
                    attempts=attempts,
                    status=status,
                    error=error,
                )
    return attempted


def _post(
    client: httpx.Client, url: str, body: bytes, headers: dict[str, str]
) -> tuple[int | None, str | None]:
    try:
        response = client.post(url, content=body, headers=headers)
    except httpx.HTTPError as error:
        return None, f"{type(error).__name__}: {error}"
    if 200 <= response.status_code < 300:
        return response.status_code, None
    return response.status_code, f"HTTP {response.status_code}"
