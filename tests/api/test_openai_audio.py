"""OpenAI's own Python client against a real `minutes serve` on 127.0.0.1 and a real worker."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import openai
import pytest
from openai import OpenAI

from minutes.db import connect
from minutes.db.meetings import list_events, list_meetings
from tests.api.conftest import Api
from tests.conftest import background_worker
from tests.speech import TEAM_SYNC, dialogue, text_error_rate


def _client(api: Api, key: str) -> OpenAI:
    return OpenAI(base_url=f"{api.url}/v1", api_key=key, max_retries=0, timeout=300)


def _all_completed(api: Api, key: str, count: int, timeout: float = 300) -> list[dict[str, object]]:
    deadline = time.monotonic() + timeout
    with api.client(key) as client:
        while time.monotonic() < deadline:
            meetings = client.get("/meetings").json()
            if len(meetings) == count and all(m["status"] == "completed" for m in meetings):
                return list(meetings)
            time.sleep(0.5)
    raise AssertionError(f"meetings did not complete: {meetings}")


def test_every_response_format_through_the_openai_client(
    api: Api, english_speech: tuple[Path, str]
) -> None:
    recording, said = english_speech
    key = api.key()
    client = _client(api, key)
    with background_worker(api.settings):
        assert "whisper-1" in [model.id for model in client.models.list().data]

        with recording.open("rb") as audio:
            verbose = client.audio.transcriptions.create(
                model="whisper-1",
                file=audio,
                response_format="verbose_json",
                timestamp_granularities=["word", "segment"],
            )
        assert verbose.language == "english"
        assert 12 < verbose.duration < 20
        assert text_error_rate(said, verbose.text) <= 0.15
        assert verbose.words is not None and len(verbose.words) >= 25
        starts = [word.start for word in verbose.words]
        assert (
            starts == sorted(starts)
            and starts[0] >= 0
            and verbose.words[-1].end <= verbose.duration
        )
        assert {word.word.strip(",.").lower() for word in verbose.words} >= {"quarterly", "revenue"}
        assert verbose.segments
        for index, segment in enumerate(verbose.segments):
            assert segment.id == index and segment.start < segment.end
            assert segment.avg_logprob <= 0 and 0 <= segment.no_speech_prob <= 1

        outputs = {}
        for fmt in ("json", "text", "srt", "vtt"):
            with recording.open("rb") as audio:
                outputs[fmt] = client.audio.transcriptions.create(
                    model="whisper-1", file=audio, response_format=fmt, language="en"
                )
        assert isinstance(outputs["json"], openai.types.audio.Transcription)
        assert text_error_rate(said, outputs["json"].text) <= 0.15
        assert isinstance(outputs["text"], str) and text_error_rate(said, outputs["text"]) <= 0.15
        assert isinstance(outputs["srt"], str) and outputs["srt"].startswith("1\n00:00:0")
        assert " --> " in outputs["srt"] and "," in outputs["srt"].splitlines()[1]
        assert isinstance(outputs["vtt"], str) and outputs["vtt"].startswith("WEBVTT\n\n00:00:0")

        with recording.open("rb") as audio:
            events = list(
                client.audio.transcriptions.create(model="whisper-1", file=audio, stream=True)
            )
        done = events[-1]
        assert done.type == "transcript.text.done"
        deltas = [event.delta for event in events if event.type == "transcript.text.delta"]
        assert len(deltas) == len(events) - 1 >= 1 and "".join(deltas) == done.text
        assert text_error_rate(said, done.text) <= 0.15

        # each request is an ordinary meeting: listed, and searchable once indexed
        meetings = _all_completed(api, key, 6)
    assert {m["title"] for m in meetings} == {recording.name}
    with api.client(key) as http:
        hits = http.get("/search", params={"q": "revenue forecast and hiring plan"}).json()
    assert hits and "revenue" in hits[0]["text"].lower()


def test_openai_error_shapes(api: Api, english_speech: tuple[Path, str]) -> None:
    recording = english_speech[0]
    with pytest.raises(openai.AuthenticationError) as refused:
        _client(api, "not-a-key").models.list()
    assert refused.value.status_code == 401
    assert refused.value.body == {
        "message": "Incorrect API key provided.",
        "type": "invalid_request_error",
        "param": None,
        "code": "invalid_api_key",
    }
    client = _client(api, api.key())
    with recording.open("rb") as audio, pytest.raises(openai.BadRequestError) as bad:
        client.audio.transcriptions.create(
            model="whisper-1", file=audio, response_format="json", temperature=3
        )
    assert isinstance(bad.value.body, dict) and bad.value.body["param"] == "temperature"
    with recording.open("rb") as audio, pytest.raises(openai.BadRequestError) as unstreamable:
        client.audio.transcriptions.create(
            model="whisper-1", file=audio, response_format="srt", stream=True
        )
    assert isinstance(unstreamable.value.body, dict)
    assert unstreamable.value.body["param"] == "stream"
    # a file that is no audio fails its own meeting, answered as OpenAI answers bad input
    # (a file name longer than a meeting title may be is cut, not refused)
    with background_worker(api.settings), pytest.raises(openai.BadRequestError) as corrupt:
        client.audio.transcriptions.create(
            model="whisper-1",
            file=("n" * 600 + ".mp3", b"this is not audio" * 100),
            response_format="json",
        )
    assert isinstance(corrupt.value.body, dict) and "ingest" in corrupt.value.body["message"]
    response = httpx.post(
        f"{api.url}/v1/audio/transcriptions",
        headers={"Authorization": f"Bearer {api.key()}"},
        data={"model": "whisper-1"},
        files={"nofile": ("x.txt", b"x")},
    )
    assert response.status_code == 400 and response.json()["error"]["param"] == "file"


def test_the_stream_sends_segments_while_whisper_still_runs(api: Api, speech_dir: Path) -> None:
    """A minute of speech is two of Whisper's 30 s windows: the first window's segments
    reach the client before the transcribe stage has finished."""
    recording = speech_dir / "a-minute.wav"
    dialogue(TEAM_SYNC, recording)
    client = _client(api, api.key())
    arrivals = []
    with background_worker(api.settings), recording.open("rb") as audio:
        for event in client.audio.transcriptions.create(
            model="whisper-1", file=audio, stream=True, language="en"
        ):
            arrivals.append((time.time(), event))
    with connect(api.settings.database_url) as conn:
        (meeting,) = list_meetings(conn)
        finished = next(
            e["created_at"].timestamp()
            for e in list_events(conn, meeting.id)
            if (e["kind"], e["stage"]) == ("stage.completed", "transcribe")
        )
    deltas = [(at, event.delta) for at, event in arrivals if event.type == "transcript.text.delta"]
    done = arrivals[-1][1]
    assert done.type == "transcript.text.done" and "".join(d for _, d in deltas) == done.text
    assert len(deltas) >= 4
    assert deltas[0][0] < finished - 1.0, "the first segment came only with the whole transcript"
    said = " ".join(turn.text for turn in TEAM_SYNC)
    assert text_error_rate(said, done.text) <= 0.15
