"""Steps several API tests share: upload, follow the event stream, check the results."""

from __future__ import annotations

import json
import threading
from typing import Any
from uuid import UUID

from minutes.pipeline import STAGES
from tests.api.conftest import Api
from tests.conftest import REPO, work_until_finished

SAMPLE = REPO / "samples" / "team-sync.flac"


class EventReader(threading.Thread):
    """Reads a meeting's SSE stream until it ends; `connected` is set at the first event."""

    def __init__(self, api: Api, key: str, meeting_id: str) -> None:
        super().__init__(daemon=True)
        self.api, self.key, self.meeting_id = api, key, meeting_id
        self.events: list[dict[str, Any]] = []
        self.connected = threading.Event()

    def run(self) -> None:
        with (
            self.api.client(self.key) as client,
            client.stream("GET", f"/meetings/{self.meeting_id}/events", timeout=300) as response,
        ):
            assert response.headers["content-type"].startswith("text/event-stream")
            for line in response.iter_lines():
                if line.startswith("data:"):
                    self.events.append(json.loads(line[5:]))
                    self.connected.set()


def upload_and_process(api: Api, key: str) -> tuple[str, list[dict[str, Any]]]:
    """Upload the sample, process it with a real worker while reading its events."""
    with api.client(key) as client, SAMPLE.open("rb") as recording:
        response = client.post(
            "/meetings",
            files={"file": ("team sync.flac", recording, "audio/flac")},
            data={"options": json.dumps({"title": "Team sync", "speakers": 2})},
        )
    assert response.status_code == 201, response.text
    created = response.json()
    meeting_id = created["meeting"]["id"]
    assert created["meeting"]["audio_storage_path"] == f"uploads/{meeting_id}/team_sync.flac"
    assert created["job"] == {"queued": True, "stage": "ingest"}
    reader = EventReader(api, key, meeting_id)
    reader.start()
    assert reader.connected.wait(30)
    work_until_finished(api.settings, UUID(meeting_id))
    reader.join(30)
    assert not reader.is_alive(), "the event stream did not end with the meeting"
    return meeting_id, reader.events


def check_results(api: Api, key: str, meeting_id: str, events: list[dict[str, Any]]) -> None:
    stages = list(dict.fromkeys(e["stage"] for e in events if e["stage"]))
    assert stages == [stage.name for stage in STAGES], stages
    progress = [e["progress"] for e in events]
    assert progress == sorted(progress) and events[-1]["status"] == "completed"
    with api.client(key) as client:
        text = client.get(f"/meetings/{meeting_id}/transcript", params={"format": "txt"})
        assert text.status_code == 200 and "cheaper vendor" in text.text
        assert text.headers["content-type"].startswith("text/plain")
        vtt = client.get(f"/meetings/{meeting_id}/transcript", params={"format": "vtt"})
        assert vtt.text.startswith("WEBVTT")
        summary = client.get(f"/meetings/{meeting_id}/summary").json()
        assert any("contract" in a["text"] for a in summary["action_items"])
        document = client.get(f"/meetings/{meeting_id}/document")
        assert document.headers["content-type"].startswith("text/markdown")
        assert "# Team sync" in document.text and "## Action items" in document.text
        voices = client.get(f"/meetings/{meeting_id}/speakers").json()
        assert len(voices) == 2
        sounds = client.get(f"/meetings/{meeting_id}/sounds").json()
        assert sounds["events"] and sounds["analysis"]["mood"]["mood"]
        mood = client.get(f"/meetings/{meeting_id}/mood").json()
        assert mood["mood"] == sounds["analysis"]["mood"]["mood"]
        assert mood["sound_classification"] == "Speech" and 0 < mood["yamnet_confidence"] <= 1
        whole = client.get(f"/meetings/{meeting_id}/audio")
        assert whole.status_code == 200 and whole.content[:4] == b"RIFF"
        part = client.get(f"/meetings/{meeting_id}/audio", headers={"Range": "bytes=4-11"})
        assert part.status_code == 206 and part.content == whole.content[4:12]
        assert part.headers["content-range"] == f"bytes 4-11/{len(whole.content)}"
        link = client.get(f"/meetings/{meeting_id}/audio-link").json()["url"]
    with api.client(None) as anonymous:
        assert anonymous.get(link, headers={"Range": "bytes=0-3"}).content == b"RIFF"
        assert anonymous.get(f"/meetings/{meeting_id}/audio").status_code == 401
