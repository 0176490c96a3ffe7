"""Speaker profiles through the API: enrol from uploads, rename, merge, delete."""

from __future__ import annotations

from pathlib import Path

from tests.api.conftest import Api


def test_enrol_rename_merge_and_delete(api: Api, english_speech: tuple[Path, str]) -> None:
    recording = english_speech[0].read_bytes()
    with api.client(api.key()) as client:

        def enrol(name: str) -> dict[str, str]:
            response = client.post(
                "/speakers",
                data={"name": name},
                files={"files": ("voice.wav", recording, "audio/wav")},
            )
            assert response.status_code == 201, response.text
            return {key: str(value) for key, value in response.json().items()}

        ana, twin = enrol("Ana"), enrol("Ana again")
        assert ana["audio_samples"] == "1"
        bad = client.post(
            "/speakers",
            data={"name": "Noise"},
            files={"files": ("x.wav", b"not audio", "audio/wav")},
        )
        assert bad.status_code == 422
        renamed = client.patch(f"/speakers/{ana['id']}", json={"name": "Ana Ruiz"})
        assert renamed.json()["name"] == "Ana Ruiz"
        assert client.patch(f"/speakers/{twin['id']}", json={"name": "ana ruiz"}).status_code == 409
        merged = client.post(f"/speakers/{twin['id']}/merge", params={"into": ana["id"]})
        assert merged.status_code == 200 and merged.json()["audio_samples"] == 2
        assert [p["name"] for p in client.get("/speakers").json()] == ["Ana Ruiz"]
        assert client.delete(f"/speakers/{ana['id']}").status_code == 204
        assert client.get("/speakers").json() == []
        assert client.delete(f"/speakers/{ana['id']}").status_code == 404
