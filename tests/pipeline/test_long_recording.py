"""A 3-hour recording through the whole pipeline in bounded memory (`make test-slow`).

`minutes process` runs as its own process against the test database, so its peak RSS
is its own and the test can watch the meeting's progress while it works.
"""

from __future__ import annotations

import os
import time
from itertools import pairwise
from pathlib import Path

import pytest

from minutes.config import Settings
from minutes.db import connect
from tests.conftest import REPO
from tests.measured import finish_measured, start_measured
from tests.speech import long_recording

HOURS = 3
PEAK_LIMIT_MIB = 2048
LONGEST_STALL_SECONDS = 300
"""No stretch this long without the progress bar moving (a stage's model load, the index)."""


@pytest.mark.slow
@pytest.mark.timeout(3 * 3600)
def test_three_hours_complete_under_two_gigabytes_with_progress_moving(
    settings: Settings, tmp_path: Path
) -> None:
    recording = long_recording(HOURS, tmp_path)
    env = {
        **os.environ,
        "MINUTES_DATABASE_URL": settings.database_url,
        "MINUTES_DATA_DIR": str(settings.data_dir),
        "MINUTES_MODEL_CACHE_DIR": str(REPO / ".minutes" / "models"),
        "MINUTES_SOURCE_ROOTS": str(tmp_path),
        "MINUTES_MAX_FILE_BYTES": str(recording.stat().st_size + 1),
        "MINUTES_LOG_FORMAT": "json",
    }
    started = time.monotonic()
    process = start_measured(
        [str(REPO / ".venv" / "bin" / "minutes"), "process", str(recording), "-f", "txt"],
        env,
        tmp_path / "minutes.txt",
    )
    samples: list[tuple[float, float]] = []
    with connect(settings.database_url) as conn:
        while process.poll() is None:
            row = conn.execute("SELECT progress FROM meetings").fetchone()
            if row is not None:
                samples.append((time.monotonic() - started, float(row["progress"])))
            time.sleep(5)
        code, peak_mib = finish_measured(process)
        meeting = conn.execute("SELECT status, duration_seconds, progress FROM meetings").fetchone()
    seconds = time.monotonic() - started
    assert meeting is not None
    samples.append((seconds, float(meeting["progress"])))

    assert code == 0, (tmp_path / "minutes.txt.log").read_text()[-3000:]
    assert meeting["status"] == "completed"
    assert meeting["duration_seconds"] >= HOURS * 3600 - 1
    assert peak_mib < PEAK_LIMIT_MIB
    progress = [value for _, value in samples]
    assert progress == sorted(progress) and progress[-1] == 100
    moves = [at for (_, before), (at, value) in pairwise(samples) if value > before]
    stalls = [later - earlier for earlier, later in pairwise([samples[0][0], *moves])]
    assert moves and max(stalls) < LONGEST_STALL_SECONDS
    print(
        f"\n{HOURS} h: {seconds:.0f} s, RTF {seconds / (HOURS * 3600):.3f}, peak RSS "
        f"{peak_mib:.0f} MiB, longest stall {max(stalls):.0f} s over {len(moves)} progress steps"
    )
