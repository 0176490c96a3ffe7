"""Pipeline overhead: `minutes process` end to end against bare faster-whisper, same audio.

    .venv/bin/python bench/transcribe.py [--minutes 5.5] [--model base]

Both run as fresh processes on the same ≥ 5-minute espeak-ng recording with the same model,
beam size, VAD and word timestamps, and both include loading the model. The pipeline adds
the embedded Postgres, the queue, decoding to WAV and saving segments. Prints real-time
factors (processing seconds per audio second), their ratio (target ≤ 1.10) and each
process's peak resident memory.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.measured import measured, stage_seconds  # noqa: E402
from tests.speech import TEAM_SYNC, dialogue  # noqa: E402

from minutes.weights import resolve_whisper_model  # noqa: E402

BARE = """
import sys, time
from faster_whisper import WhisperModel, decode_audio
model_path, audio_path, beam = sys.argv[1], sys.argv[2], int(sys.argv[3])
model = WhisperModel(model_path, device="cpu", compute_type="int8")
segments, info = model.transcribe(
    decode_audio(audio_path), beam_size=beam, vad_filter=True, word_timestamps=True,
    condition_on_previous_text=False,
)
print(sum(1 for _ in segments))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=5.5, help="length of the recording")
    parser.add_argument("--model", default="base")
    parser.add_argument("--beam-size", type=int, default=5)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="minutes-bench-"))
    one_pass = dialogue(TEAM_SYNC, work / "pass.wav")[-1].end + 0.6
    repeats = max(1, round(args.minutes * 60 / one_pass + 0.5))
    recording = work / "recording.wav"
    spoken = dialogue(TEAM_SYNC * repeats, recording)
    duration = spoken[-1].end + 0.6

    models = work / "models"
    model_path = resolve_whisper_model(args.model, models)  # joined once, outside the timing
    env = {
        **os.environ,
        "MINUTES_DATA_DIR": str(work / "data"),
        "MINUTES_MODEL_CACHE_DIR": str(models),
        "MINUTES_WHISPER_MODEL": args.model,
        "MINUTES_BEAM_SIZE": str(args.beam_size),
        "MINUTES_SOURCE_ROOTS": str(work),
        "MINUTES_DATABASE_URL": "",
        "MINUTES_LOG_LEVEL": "INFO",
        "MINUTES_LOG_FORMAT": "json",
    }

    bare_seconds, bare_mib = measured(
        [sys.executable, "-c", BARE, model_path, str(recording), str(args.beam_size)],
        env,
        work / "bare.out",
    )
    pipeline_seconds, pipeline_mib = measured(
        [sys.executable, "-m", "minutes", "process", str(recording), "--format", "json"],
        env,
        work / "pipeline.json",
    )
    bare_segments = (work / "bare.out").read_text().strip()
    pipeline_segments = len(json.loads((work / "pipeline.json").read_text())["segments"])

    print(
        f"recording: {duration:.1f} s of espeak-ng dialogue ({repeats} passes), model {args.model}, "
        f"beam {args.beam_size}, cpu int8, {os.cpu_count()} cores"
    )
    print(f"{'':<22}{'seconds':>9}{'RTF':>8}{'x realtime':>12}{'peak RSS MiB':>14}{'segments':>10}")
    for name, seconds, mib, count in (
        ("bare faster-whisper", bare_seconds, bare_mib, bare_segments),
        ("minutes process", pipeline_seconds, pipeline_mib, pipeline_segments),
    ):
        print(
            f"{name:<22}{seconds:>9.1f}{seconds / duration:>8.3f}{duration / seconds:>12.1f}{mib:>14.0f}{count!s:>10}"
        )
    stages = stage_seconds(work / "pipeline.json.log")
    print("pipeline stages (s): " + ", ".join(f"{name} {sec:.1f}" for name, sec in stages.items()))
    print(f"ratio pipeline / bare: {pipeline_seconds / bare_seconds:.3f} end to end, all stages")
    transcription_only = pipeline_seconds - sum(
        sec for name, sec in stages.items() if name not in ("ingest", "transcribe")
    )
    print(
        f"ratio without the later stages (diarize, ...): {transcription_only / bare_seconds:.3f}"
        " (target <= 1.10; still includes loading their models)"
    )


if __name__ == "__main__":
    main()
