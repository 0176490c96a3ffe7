from __future__ import annotations

import struct
import wave
from pathlib import Path

import numpy as np
import pytest

from minutes import audio
from tests.media import CONTAINERS, encode, video_only
from tests.speech import ESPEAK_RATE, speak, write_wav


@pytest.fixture(scope="session")
def utterance() -> np.ndarray:
    return speak("Every common container should decode to the same sixteen kilohertz audio.")


@pytest.mark.parametrize("suffix", sorted(CONTAINERS))
def test_every_common_container_decodes(utterance: np.ndarray, tmp_path: Path, suffix: str) -> None:
    source = encode(utterance, ESPEAK_RATE, tmp_path / f"talk{suffix}", stereo=suffix == ".m4a")
    seconds = len(utterance) / ESPEAK_RATE
    info = audio.probe(source)
    assert info.duration == pytest.approx(seconds, abs=0.1)
    assert info.has_video == (CONTAINERS[suffix][1] is not None)

    target = tmp_path / "out.wav"
    decoded = audio.decode_to_wav(source, target, max_duration=60)
    assert decoded == pytest.approx(seconds, abs=0.1)
    with wave.open(str(target)) as wav:
        assert (wav.getframerate(), wav.getnchannels(), wav.getsampwidth()) == (16_000, 1, 2)
    pcm = audio.read_wav(target)
    assert pcm.dtype == np.float32
    assert 0.05 < float(np.abs(pcm).max()) <= 1.0  # speech survived, not silence or clipping


def test_load_pcm_matches_the_wav_path(utterance: np.ndarray, tmp_path: Path) -> None:
    source = encode(utterance, ESPEAK_RATE, tmp_path / "talk.flac")
    audio.decode_to_wav(source, tmp_path / "out.wav", max_duration=60)
    from_wav, direct = audio.read_wav(tmp_path / "out.wav"), audio.load_pcm(source)
    assert len(from_wav) == len(direct)
    assert np.abs(from_wav - direct).max() < 1e-3


def test_no_audio_stream(tmp_path: Path) -> None:
    with pytest.raises(audio.AudioError, match="has no audio stream"):
        audio.probe(video_only(tmp_path / "silent-film.mp4"))


def test_zero_length(tmp_path: Path) -> None:
    empty = tmp_path / "empty.wav"
    write_wav(empty, np.zeros(0, dtype=np.int16))
    with pytest.raises(audio.AudioError, match="zero-length"):
        audio.decode_to_wav(empty, tmp_path / "out.wav", max_duration=60)
    assert not (tmp_path / "out.wav").exists()


@pytest.mark.parametrize(
    "content",
    [b"", b"this is not audio at all" * 100, bytes(np.random.default_rng(1).bytes(50_000))],
    ids=["empty-file", "text", "random-bytes"],
)
def test_garbage_is_refused_with_a_readable_reason(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "meeting.mp3"
    path.write_bytes(content)
    with pytest.raises(
        audio.AudioError, match=r"cannot read meeting\.mp3|no audio|zero-length|corrupt"
    ):
        audio.probe(path)
        audio.decode_to_wav(path, tmp_path / "out.wav", max_duration=60)


def test_an_unknown_codec_is_refused_with_a_readable_reason(tmp_path: Path) -> None:
    """Found by the ingest fuzz test: a WAV header naming a format tag FFmpeg does not know
    opens with an audio stream that has no codec."""
    fmt = struct.pack("<IHHIIHH", 16, 0x7777, 1, 16_000, 32_000, 2, 16)
    header = b"RIFF" + struct.pack("<I", 36 + 1000) + b"WAVEfmt " + fmt
    path = tmp_path / "odd.wav"
    path.write_bytes(header + b"data" + struct.pack("<I", 1000) + bytes(1000))
    with pytest.raises(audio.AudioError, match="codec that cannot be decoded"):
        audio.probe(path)
    with pytest.raises(audio.AudioError, match="codec that cannot be decoded"):
        audio.decode_to_wav(path, tmp_path / "out.wav", max_duration=60)


def test_over_duration_stops_decoding(utterance: np.ndarray, tmp_path: Path) -> None:
    source = encode(utterance, ESPEAK_RATE, tmp_path / "talk.ogg")
    with pytest.raises(audio.AudioError, match="MINUTES_MAX_DURATION_SECONDS"):
        audio.decode_to_wav(source, tmp_path / "out.wav", max_duration=1.0)
    assert not (tmp_path / "out.wav").exists()
    assert not (tmp_path / "out.wav.part").exists()
