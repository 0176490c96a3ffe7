"""Postgres: where meetings, results and the job queue live."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg
from pgvector.psycopg import register_vector
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

from minutes.config import Settings
from minutes.db.embedded import start_embedded_postgres
from minutes.db.migrate import migrate

Connection = psycopg.Connection[dict[str, Any]]


def resolve_database_url(settings: Settings) -> str:
    """The configured server, or the embedded one, migrated and ready to use."""
    if settings.database_url:
        return settings.database_url
    url = start_embedded_postgres(settings.data_dir)
    with connect(url) as conn:
        migrate(conn)
    return url


@contextmanager
def connect(url: str) -> Iterator[Connection]:
    with psycopg.connect(url, row_factory=dict_row, autocommit=True) as conn:
        yield conn


def open_pool(url: str, max_size: int = 4) -> ConnectionPool[Connection]:
    """A small pool for stage code; connections are checked before use so restarts heal."""
    pool: ConnectionPool[Connection] = ConnectionPool(
        url,
        min_size=1,
        max_size=max_size,
        kwargs={"row_factory": dict_row, "autocommit": True},
        check=ConnectionPool.check_connection,
        open=True,
    )
    return pool


def with_vectors(conn: Connection) -> Connection:
    """Let the connection send and read pgvector values as numpy; registers once.

    pgvector's registration looks up four types in the catalogue, so a connection that
    already knows `vector` (pooled ones, mostly) skips it."""
    if conn.adapters.types.get("vector") is None:
        register_vector(conn)
    return conn


def replace_meeting_rows(
    conn: Connection,
    table: str,
    meeting_id: object,
    columns: Sequence[str],
    rows: Iterable[Sequence[object]],
) -> None:
    """Swap all of a meeting's rows in `table` (names come from code, never from users).

    Stages call this inside their transaction, which is what makes re-running them safe."""
    conn.execute(f"DELETE FROM {table} WHERE meeting_id = %s", (meeting_id,))
    placeholders = ", ".join(["%s"] * (len(columns) + 1))
    with conn.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (meeting_id, {', '.join(columns)}) VALUES ({placeholders})",
            [(meeting_id, *row) for row in rows],
        )
