"""The remote transcription backend against real servers on loopback.

End to end it talks to minutes' own OpenAI-compatible endpoint (a second database, API
and worker, as another team's minutes would be). Rate limiting and refusals are faults
minutes' server cannot be made to produce on demand, so those tests use a scripted server
that answers as OpenAI does.
"""

from __future__ import annotations

import io
import json
import time
import wave
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import policy
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from pydantic import SecretStr

from minutes import audio
from minutes.asr.remote import RemoteRecognizer, RemoteTranscriptionFailed
from minutes.config import Settings
from minutes.db import connect
from minutes.db.meetings import create_meeting, get_meeting, get_segments
from minutes.errors import TransientError
from minutes.pipeline.transcribe import remote_window_seconds, transcribe_samples
from minutes.transcript import Segment
from tests.api.conftest import Api, serve
from tests.conftest import background_worker, fresh_database, work_until_finished
from tests.loopback import QuietHandler, http_server
from tests.speech import text_error_rate, write_wav


@pytest.fixture
def provider(settings: Settings, postgres_url: str, tmp_path: Path) -> Iterator[Api]:
    """Another minutes: its own database, API server and worker (local Whisper)."""
    with fresh_database(postgres_url) as url:
        theirs = settings.model_copy(
            update={"database_url": url, "data_dir": tmp_path / "provider"}
        )
        with serve(theirs) as api, background_worker(theirs):
            yield api


def remote_settings(settings: Settings, base_url: str, key: str = "k", **more: Any) -> Settings:
    return settings.model_copy(
        update={
            "asr_backend": "openai",
            "asr_base_url": base_url,
            "asr_api_key": SecretStr(key),
            "asr_model": "whisper-1",
            **more,
        }
    )


def test_a_meeting_is_transcribed_by_another_minutes(
    settings: Settings, provider: Api, english_speech: tuple[Path, str]
) -> None:
    ours = remote_settings(settings, f"{provider.url}/v1", provider.key())
    recording, said = english_speech
    with connect(ours.database_url) as conn:
        meeting = create_meeting(conn, audio_url=str(recording), title="remote", options={})
    work_until_finished(ours, meeting.id, timeout=300)
    with connect(ours.database_url) as conn:
        done = get_meeting(conn, meeting.id)
        segments = get_segments(conn, meeting.id)
    assert done is not None and done.status == "completed", done
    assert done.language == "en"
    assert text_error_rate(said, " ".join(s.text for s in segments)) <= 0.15
    words = [word for segment in segments for word in segment.words]
    assert len(words) >= 25 and all(w.start <= w.end <= 20 for w in words)
    assert all(segment.speaker_label for segment in segments)  # diarized here, as usual
    with provider.client(provider.key()) as client:
        theirs = client.get("/meetings").json()
    assert len(theirs) == 1 and theirs[0]["title"] == "audio.wav"


@dataclass
class Upload:
    at: float
    fields: dict[str, list[str]]
    wav: bytes


@dataclass
class Script:
    statuses: list[int]
    """Status per request; the last one repeats."""
    headers: dict[str, str] = field(default_factory=dict)
    """Sent with every answer that is not a 200."""
    uploads: list[Upload] = field(default_factory=list)


def _parse_form(content_type: str, body: bytes) -> tuple[dict[str, list[str]], bytes]:
    message = BytesParser(policy=policy.HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + body
    )
    fields: dict[str, list[str]] = {}
    wav = b""
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        assert isinstance(name, str) and isinstance(payload, bytes)
        if name == "file":
            wav = payload
        else:
            fields.setdefault(name, []).append(payload.decode())
    return fields, wav


def _answer(status: int, number: int, seconds: float) -> dict[str, Any]:
    """What OpenAI answers: verbose_json with one segment and two words, or an error."""
    if status != 200:
        return {
            "error": {"message": f"scripted {status}", "type": "x", "param": None, "code": None}
        }
    return {
        "task": "transcribe",
        "language": "english",
        "duration": seconds,
        "text": f"part {number}",
        "segments": [
            {"id": 0, "start": 0.5, "end": 2.0, "text": f" part {number}", "avg_logprob": -0.1}
        ],
        "words": [
            {"word": "part", "start": 0.5, "end": 1.0},
            {"word": str(number), "start": 1.1, "end": 2.0},
        ],
    }


@pytest.fixture
def scripted() -> Iterator[tuple[str, Script]]:
    script = Script(statuses=[200])

    class Handler(QuietHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            fields, wav = _parse_form(self.headers["Content-Type"], body)
            script.uploads.append(Upload(time.monotonic(), fields, wav))
            number = len(script.uploads)
            status = script.statuses[min(number, len(script.statuses)) - 1]
            raw = json.dumps(_answer(status, number, _wav_seconds(wav))).encode()
            self.send_response(status)
            for name, value in (script.headers if status != 200 else {}).items():
                self.send_header(name, value)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

    with http_server(Handler) as url:
        yield url, script


def _wav_seconds(data: bytes) -> float:
    with wave.open(io.BytesIO(data)) as wav:
        assert (wav.getframerate(), wav.getnchannels(), wav.getsampwidth()) == (16000, 1, 2)
        return float(wav.getnframes() / wav.getframerate())


def _tone(seconds: float) -> np.ndarray:
    return (0.1 * np.sin(np.arange(int(seconds * audio.SAMPLE_RATE)) / 7)).astype(np.float32)


def _ignore(fraction: float) -> None:
    pass


def test_429_twice_then_success_is_retried_honouring_retry_after(
    settings: Settings, scripted: tuple[str, Script]
) -> None:
    url, script = scripted
    script.statuses, script.headers = [429, 429, 200], {"Retry-After": "1"}
    ours = remote_settings(settings, url)
    recognizer = RemoteRecognizer.open(ours, prompt="Acme", temperature=0.2)
    announced: list[Segment] = []
    transcript = recognizer(
        _tone(3), language="en", on_progress=_ignore, on_segment=announced.append
    )
    assert announced == transcript.segments
    assert [segment.text for segment in transcript.segments] == ["part 3"]
    assert [word.word for word in transcript.segments[0].words] == ["part", "3"]
    times = [upload.at for upload in script.uploads]
    assert len(times) == 3 and times[1] - times[0] >= 0.9 and times[2] - times[1] >= 0.9
    fields = script.uploads[-1].fields
    assert fields["model"] == ["whisper-1"] and fields["response_format"] == ["verbose_json"]
    assert fields["timestamp_granularities[]"] == ["segment", "word"]
    assert fields["language"] == ["en"] and fields["prompt"] == ["Acme"]
    assert fields["temperature"] == ["0.2"]
    assert abs(_wav_seconds(script.uploads[-1].wav) - 3) < 0.01


def test_refusals_fail_at_once_and_outages_hand_over_to_the_queue(
    settings: Settings, scripted: tuple[str, Script]
) -> None:
    url, script = scripted
    script.statuses = [401]
    recognizer = RemoteRecognizer.open(remote_settings(settings, url, asr_retries=2))
    with pytest.raises(RemoteTranscriptionFailed, match="answered 401: scripted 401"):
        recognizer(_tone(1), language=None, on_progress=_ignore, on_segment=print)
    assert len(script.uploads) == 1
    script.statuses, script.headers = [503], {"Retry-After": "0"}
    with pytest.raises(TransientError, match=r"answered 503 \(3 tries\)"):
        recognizer(_tone(1), language=None, on_progress=_ignore, on_segment=print)
    assert len(script.uploads) == 4


def test_long_audio_goes_up_in_windows_under_the_upload_limit(
    settings: Settings, scripted: tuple[str, Script], tmp_path: Path
) -> None:
    url, script = scripted
    limit = 1_000_000  # about 31 s of 16 kHz WAV
    ours = remote_settings(settings, url, asr_max_upload_bytes=limit)
    wav = tmp_path / "long.wav"
    write_wav(wav, _tone(80) * 32767, rate=audio.SAMPLE_RATE)
    transcript = transcribe_samples(
        RemoteRecognizer.open(ours),
        audio.WavSamples(wav),
        language=None,
        on_progress=_ignore,
        window_seconds=remote_window_seconds(ours),
    )
    sizes = [len(upload.wav) for upload in script.uploads]
    assert len(sizes) >= 3 and max(sizes) <= limit
    lengths = [_wav_seconds(upload.wav) for upload in script.uploads]
    assert abs(sum(lengths) - 80) < 0.01  # every sample sent once
    offsets = np.cumsum([0.0, *lengths[:-1]])
    assert [segment.start for segment in transcript.segments] == pytest.approx(
        offsets + 0.5, abs=0.002
    )
    assert [segment.text for segment in transcript.segments] == [
        f"part {n}" for n in range(1, len(sizes) + 1)
    ]
    assert transcript.language == "en"
