"""Long recordings: peak memory and real-time factor of `minutes process` for hours of audio.

    .venv/bin/python bench/long.py [--hours 1 3] [--model base]

Builds an N-hour recording by repeating a five-voice espeak-ng dialogue (written to the
WAV piece by piece, never whole in memory) and runs the whole pipeline on it as a fresh
process with its own embedded Postgres, as a user would. Prints wall time, real-time
factor, peak resident memory (target: under 2 GB for 3 hours) and each stage's seconds.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.measured import measured, stage_seconds  # noqa: E402
from tests.speech import long_recording  # noqa: E402

from minutes import audio  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hours", type=float, nargs="+", default=[1.0, 3.0])
    parser.add_argument("--model", default="base")
    args = parser.parse_args()
    print(f"model {args.model}, cpu int8, {os.cpu_count()} cores")
    print(f"{'audio':>8}{'seconds':>10}{'RTF':>8}{'peak RSS MiB':>14}  stages (s)")
    for hours in args.hours:
        with tempfile.TemporaryDirectory() as scratch:
            folder = Path(scratch)
            recording = long_recording(hours, folder)
            seconds_of_audio = audio.WavSamples(recording).seconds
            env = {
                **os.environ,
                "MINUTES_DATA_DIR": str(folder / "data"),
                "MINUTES_MODEL_CACHE_DIR": str(REPO / ".minutes" / "models"),
                "MINUTES_WHISPER_MODEL": args.model,
                "MINUTES_SOURCE_ROOTS": str(folder),
                "MINUTES_LOG_FORMAT": "json",
                "MINUTES_LOG_LEVEL": "INFO",
                "MINUTES_MAX_DURATION_SECONDS": str(seconds_of_audio + 60),
                "MINUTES_MAX_FILE_BYTES": str(recording.stat().st_size + 1),
            }
            out = folder / "minutes.txt"
            seconds, peak = measured(
                [str(REPO / ".venv" / "bin" / "minutes"), "process", str(recording), "-f", "txt"],
                env,
                out,
            )
            stages = stage_seconds(Path(f"{out}.log"))
            print(
                f"{seconds_of_audio / 3600:>7.2f}h{seconds:>10.0f}{seconds / seconds_of_audio:>8.3f}"
                f"{peak:>14.0f}  " + ", ".join(f"{k} {v:.0f}" for k, v in stages.items())
            )


if __name__ == "__main__":
    main()
