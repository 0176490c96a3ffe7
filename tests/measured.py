"""Run a command as its own process and measure it: wall seconds and peak resident memory.

A small wrapper process runs the command and reads its children's peak RSS from
getrusage once it exits, so the figure is the command's alone, not the caller's.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

_WRAPPER = """
import resource, subprocess, sys
with open(sys.argv[1], "wb") as out, open(sys.argv[1] + ".log", "wb") as log:
    code = subprocess.run(sys.argv[2:], stdout=out, stderr=log).returncode
print(code, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def start_measured(command: list[str], env: dict[str, str], stdout: Path) -> subprocess.Popen[str]:
    """Start `command`; its stdout goes to `stdout`, its stderr to `stdout`.log."""
    return subprocess.Popen(
        [sys.executable, "-c", _WRAPPER, str(stdout), *command],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )


def finish_measured(process: subprocess.Popen[str]) -> tuple[int, float]:
    """The command's exit code and peak RSS in MiB, once it has ended."""
    output, _ = process.communicate()
    code, peak_kib = output.split()
    return int(code), int(peak_kib) / 1024


def measured(command: list[str], env: dict[str, str], stdout: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS in MiB of a command that must succeed."""
    started = time.perf_counter()
    code, peak = finish_measured(start_measured(command, env, stdout))
    if code != 0:
        raise SystemExit(f"{command[:4]} failed with exit code {code}")
    return time.perf_counter() - started, peak


def stage_seconds(log: Path) -> dict[str, float]:
    """Each stage's own time, from the structured `stage.completed` log lines."""
    stages: dict[str, float] = {}
    for line in log.read_text().splitlines():
        if line.startswith("{") and '"stage.completed"' in line:
            event = json.loads(line)
            stages[event["stage"]] = event["seconds"]
    return stages
