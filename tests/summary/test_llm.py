"""The LLM backend against a real llama.cpp server on loopback, and against scripted faults."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from pydantic import SecretStr

from minutes.config import Settings
from minutes.db.meetings import create_meeting, get_meeting, get_segments
from minutes.db.summaries import get_summary
from minutes.summary.llm import (
    ChunkMinutes,
    Cited,
    CitedAction,
    LLMFailed,
    chunks,
    summarize_with_llm,
)
from minutes.summary.model import ActionItem, KeyPoint, Sentence
from minutes.summary.sentences import sentences
from tests.conftest import REPO, work_until_finished
from tests.llm_server import LlamaServer, Script, llama_server, scripted_server

Conn = psycopg.Connection[dict[str, Any]]
SAMPLE = REPO / "samples" / "team-sync.flac"
SPOKEN_ACTIONS = ("contract", "roadmap", "job description")


@pytest.fixture(scope="module")
def llama(model_cache: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LlamaServer]:
    log = tmp_path_factory.mktemp("llama") / "server.log"
    with llama_server(model_cache, log) as server:
        yield server


def with_llm(settings: Settings, base_url: str, **more: object) -> Settings:
    return settings.model_copy(
        update={
            "llm_base_url": base_url,
            "llm_model": "qwen2.5-0.5b-instruct",
            "llm_response_format": "json_object",
            **more,
        }
    )


def process(settings: Settings, db: Conn) -> Any:
    meeting = create_meeting(db, audio_url=str(SAMPLE), title="Team sync", options={})
    work_until_finished(settings, meeting.id, timeout=400)
    finished = get_meeting(db, meeting.id)
    assert finished is not None
    return finished


def test_the_local_model_writes_valid_minutes_through_the_stage(
    settings: Settings, db: Conn, llama: LlamaServer
) -> None:
    meeting = process(with_llm(settings, llama.base_url), db)
    assert meeting.status == "completed", meeting.error_message
    summary = get_summary(db, meeting.id)
    assert summary is not None and summary.model_used == "llm:qwen2.5-0.5b-instruct"
    assert summary.summary and summary.topics
    said = sentences(get_segments(db, meeting.id))
    speakers = {s.speaker for s in said}
    spoken = " ".join(s.text.lower() for s in said)
    items: list[KeyPoint | ActionItem] = [
        *summary.action_items,
        *summary.decisions,
        *summary.key_points,
    ]
    assert items and all(0 <= item.start <= said[-1].end for item in items)
    assert all(
        a.owner is None or a.owner in speakers or a.owner.lower() in spoken
        for a in summary.action_items
    )
    assert all(a.due is None or a.due.lower() in spoken for a in summary.action_items)
    acted_on: list[KeyPoint | ActionItem] = [*summary.action_items, *summary.decisions]
    found = " ".join(item.text.lower() for item in acted_on)
    assert any(action in found for action in SPOKEN_ACTIONS), summary


def test_a_long_transcript_is_mapped_in_chunks_then_reduced(
    settings: Settings, llama: LlamaServer
) -> None:
    said = [
        Sentence(text=text, start=i * 20.0, end=i * 20.0 + 5, speaker=speaker)
        for i, (speaker, text) in enumerate(
            [
                (
                    "Ana",
                    "We reviewed the hiring plan and the budget for the support team this quarter.",
                ),
                ("Bo", "I will post the job description for the support engineer by Friday."),
                ("Ana", "Good. We decided to keep the current vendor until the contract ends."),
                ("Bo", "The billing migration moved to the second week of May because of testing."),
                ("Ana", "I'll update the roadmap and share it with the team tomorrow morning."),
                ("Bo", "We agreed to release the mobile app after the billing migration is done."),
            ]
        )
    ]
    assert len(chunks(said, 30)) == 3
    before = llama.completions()
    summary = summarize_with_llm(said, with_llm(settings, llama.base_url, llm_chunk_words=30))
    assert llama.completions() - before >= 4  # three maps and at least one reduce
    assert summary.summary and summary.sentiment in ("positive", "neutral", "negative")
    assert all(item.start in {s.start for s in said} for item in summary.key_points)


VALID = ChunkMinutes(
    summary="We chose the cheaper vendor.",
    key_points=[],
    decisions=[Cited(text="Go with the cheaper vendor.", time="00:00:24")],
    action_items=[
        CitedAction(
            text="Send the contract to legal.",
            owner="Nobody Known",
            due="next Tuesday",
            time="00:00:29",
        )
    ],
    topics=["vendor"],
    sentiment="positive",
).model_dump_json()


def test_one_malformed_answer_is_retried_with_the_error(settings: Settings) -> None:
    said = [
        Sentence(
            text="Aree, I will send the contract to the legal team by Friday.",
            start=29,
            end=33,
            speaker="SPEAKER_01",
        )
    ]
    script = Script(
        replies=[(200, "Sure! Here are your minutes."), (200, f"```json\n{VALID}\n```")]
    )
    with scripted_server(script) as url:
        summary = summarize_with_llm(said, with_llm(settings, url))
    assert len(script.bodies) == 2
    retry = script.bodies[1]["messages"]
    assert isinstance(retry, list) and "not usable" in retry[-1]["content"]
    (action,) = summary.action_items
    assert action.start == 29 and action.speaker == "SPEAKER_01"
    assert action.owner is None and action.due is None  # neither was said: dropped
    assert script.bodies[0]["response_format"]["type"] == "json_object"  # type: ignore[index]


def test_malformed_answers_fail_the_stage_with_a_clear_reason(settings: Settings, db: Conn) -> None:
    script = Script(replies=[(200, json.dumps({"summary": "Fine meeting."}))])
    with scripted_server(script) as url:
        meeting = process(with_llm(settings, url), db)
    assert meeting.status == "failed"
    assert meeting.error_message.startswith("summarize: the model 'qwen2.5-0.5b-instruct'")
    assert "does not fit the minutes schema" in meeting.error_message
    assert "key_points: Field required" in meeting.error_message
    assert len(script.bodies) == 2  # asked once more, then gave up (no queue retries)


def test_a_refused_request_fails_with_the_status(settings: Settings) -> None:
    said = [Sentence(text="Hello there.", start=0, end=1, speaker="A")]
    with (
        scripted_server(Script(replies=[(401, "invalid api key")])) as url,
        pytest.raises(LLMFailed, match=r"refused the request: HTTP 401: .*invalid api key"),
    ):
        summarize_with_llm(said, with_llm(settings, url, llm_api_key=SecretStr("sk-test")))
