"""Numbered SQL migrations, applied in order, once, under an advisory lock.

The job queue's own schema (procrastinate's) is migration 0; our files follow as
`NNNN_name.sql`. Re-running is safe: applied versions are recorded in `minutes_migrations`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
from procrastinate.schema import SchemaManager
from psycopg.rows import tuple_row

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
_LOCK_KEY = 0x6D696E75746573  # "minutes"
_FILE_NAME = re.compile(r"^(\d{4})_(\w+)\.sql$")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def available_migrations() -> list[Migration]:
    migrations = [Migration(0, "job_queue", SchemaManager.get_schema())]
    for path in sorted(MIGRATIONS_DIR.glob("*.sql")):
        match = _FILE_NAME.match(path.name)
        if not match:
            raise RuntimeError(f"migration file name must be NNNN_name.sql: {path.name}")
        migrations.append(Migration(int(match[1]), match[2], path.read_text()))
    return migrations


def migrate(conn: psycopg.Connection[Any]) -> list[Migration]:
    """Apply what is missing in one transaction; returns the migrations it applied."""
    applied_now = []
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_KEY,))
        conn.execute(
            "CREATE TABLE IF NOT EXISTS minutes_migrations ("
            " version integer PRIMARY KEY, name text NOT NULL,"
            " applied_at timestamptz NOT NULL DEFAULT now())"
        )
        cursor = conn.cursor(row_factory=tuple_row)
        done = {row[0] for row in cursor.execute("SELECT version FROM minutes_migrations")}
        for migration in available_migrations():
            if migration.version in done:
                continue
            conn.execute(migration.sql.encode())  # bytes: no placeholder parsing
            conn.execute(
                "INSERT INTO minutes_migrations (version, name) VALUES (%s, %s)",
                (migration.version, migration.name),
            )
            applied_now.append(migration)
    return applied_now
