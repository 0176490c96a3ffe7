"""The `minutes` command as a user runs it: a real process, the real database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from uuid import UUID

from minutes.config import Settings
from tests.conftest import REPO
from tests.speech import TEAM_SYNC, Turn, dialogue, text_error_rate

SAMPLE = REPO / "samples" / "team-sync.flac"


def minutes(
    settings: Settings, *args: str, database: bool = True
) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "MINUTES_DATA_DIR": str(settings.data_dir),
        "MINUTES_MODEL_CACHE_DIR": str(settings.models_dir),
        "MINUTES_SOURCE_ROOTS": os.pathsep.join(str(root) for root in settings.source_roots),
        "MINUTES_DATABASE_URL": settings.database_url if database else "",
    }
    return subprocess.run(
        [sys.executable, "-m", "minutes", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=REPO,
    )


def test_process_prints_json_on_stdout_and_progress_on_stderr(settings: Settings) -> None:
    result = minutes(settings, "process", str(SAMPLE), "--title", "Team sync", "--format", "json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["status"] == "completed"
    assert document["title"] == "Team sync"
    assert document["language"] == "en"
    segments = document["segments"]
    assert len(segments) >= 8
    for segment in segments:
        assert {"start", "end", "text", "speaker_label", "words"} <= set(segment)
        assert segment["words"] and segment["start"] <= segment["words"][0]["start"] + 0.5
    spoken = " ".join(turn.text for turn in TEAM_SYNC)
    heard = " ".join(segment["text"] for segment in segments)
    assert text_error_rate(spoken, heard) < 0.15
    assert f"meeting {document['id']}" in result.stderr

    meeting_id = document["id"]
    srt = minutes(settings, "export", meeting_id, "--format", "srt")
    assert srt.returncode == 0 and srt.stdout.startswith("1\n00:00:0")
    vtt = minutes(settings, "export", meeting_id, "--format", "vtt")
    assert vtt.stdout.startswith("WEBVTT\n\n")
    txt = minutes(settings, "export", meeting_id)
    assert txt.stdout.splitlines()[0].startswith("[00:00:0")
    merged = minutes(settings, "reprocess", meeting_id, "--from", "diarize", "--speakers", "1")
    assert merged.returncode == 0, merged.stderr
    assert {line.split("] ", 1)[1].split(":")[0] for line in merged.stdout.splitlines()} == {
        "SPEAKER_00"
    }
    found = minutes(settings, "search", "sending the agreement to the lawyers")
    assert found.returncode == 0, found.stderr
    first = found.stdout.splitlines()[0]
    assert first.startswith(meeting_id) and "contract" in first and "[00:00:2" in first
    unknown = minutes(settings, "reprocess", meeting_id, "--from", "nowhere")
    assert unknown.returncode == 1 and "no stage named 'nowhere'" in unknown.stderr
    status = minutes(settings, "status", meeting_id)
    assert "status:       completed" in status.stdout and "progress:     100%" in status.stdout


def test_a_failed_meeting_exits_non_zero_with_the_reason(
    settings: Settings, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.m4a"
    broken.write_bytes(b"\x00\x01not a movie" * 500)
    result = minutes(settings, "process", str(broken))
    assert result.returncode == 1
    assert "failed: ingest: cannot read broken.m4a as audio or video" in result.stderr
    assert result.stdout == ""


def test_enqueue_prints_an_id_and_leaves_the_work_to_workers(settings: Settings) -> None:
    result = minutes(settings, "enqueue", str(SAMPLE))
    assert result.returncode == 0, result.stderr
    meeting_id = UUID(result.stdout.strip())
    status = minutes(settings, "status", str(meeting_id))
    assert "status:       pending" in status.stdout
    missing = minutes(settings, "export", "00000000-0000-0000-0000-000000000000")
    assert missing.returncode == 1 and "no meeting" in missing.stderr


def test_the_embedded_database_starts_migrates_and_is_reused(settings: Settings) -> None:
    first = minutes(settings, "enqueue", str(SAMPLE), database=False)
    assert first.returncode == 0, first.stderr
    assert (settings.data_dir / "postgres" / "PG_VERSION").is_file()
    again = minutes(settings, "status", database=False)
    assert first.stdout.strip()[:8] in again.stdout
    migrate = minutes(settings, "db", "migrate", database=False)
    assert migrate.stdout.strip() == "database is up to date"


def test_speakers_are_enrolled_named_and_shown(settings: Settings, speech_dir: Path) -> None:
    voice = speech_dir / "ana-enrol.wav"
    dialogue(
        [Turn("en+f3", "This is Ana speaking, I am recording a sample so my voice is known.")],
        voice,
    )
    enrolled = minutes(settings, "speakers", "enroll", "Ana Ruiz", str(voice))
    assert enrolled.returncode == 0, enrolled.stderr
    assert "Ana Ruiz" in minutes(settings, "speakers", "list").stdout

    result = minutes(settings, "process", str(SAMPLE), "--format", "json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    speakers = {segment["speaker"] for segment in document["segments"]}
    assert "Ana Ruiz" in speakers and "SPEAKER_00" in speakers
    assert "speakers: SPEAKER_00" in result.stderr and "Ana Ruiz" in result.stderr

    named = minutes(settings, "speakers", "name", document["id"], "SPEAKER_00", "Bo Chen")
    assert named.returncode == 0, named.stderr
    lines = minutes(settings, "export", document["id"]).stdout.splitlines()
    assert lines[0].startswith("[00:00:00] Bo Chen: Good morning")
    assert any(line.split("] ", 1)[1].startswith("Ana Ruiz: ") for line in lines)

    assert minutes(settings, "speakers", "delete", "Bo Chen").returncode == 0
    assert minutes(settings, "export", document["id"]).stdout.startswith("[00:00:00] SPEAKER_00:")
    missing = minutes(settings, "speakers", "name", document["id"], "SPEAKER_07", "X")
    assert missing.returncode == 1 and "no voice SPEAKER_07" in missing.stderr
