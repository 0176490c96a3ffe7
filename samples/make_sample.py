"""Regenerate samples/team-sync.flac and its script (needs espeak-ng and sox).

python samples/make_sample.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from tests.speech import TEAM_SYNC, dialogue  # noqa: E402


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "team-sync.wav"
        spoken = dialogue(TEAM_SYNC, wav)
        subprocess.run(["sox", str(wav), str(HERE / "team-sync.flac")], check=True)
    script = "".join(f"[{t.start:6.2f}-{t.end:6.2f}] {t.voice}: {t.text}\n" for t in spoken)
    (HERE / "team-sync.txt").write_text(script)
    print(script, end="")


if __name__ == "__main__":
    main()
