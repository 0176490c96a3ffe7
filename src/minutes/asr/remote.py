"""Transcription by an OpenAI-compatible endpoint: `MINUTES_ASR_BACKEND=openai`.

Works with OpenAI, Azure OpenAI, Groq, faster-whisper servers and another minutes. The
decoded audio goes up one window at a time as 16 kHz WAV, each under the provider's upload
limit, asking for verbose_json with segment and word timestamps. 429, 5xx and network
errors are retried here, honouring Retry-After; once those tries are spent the stage's own
retries (with backoff, from the queue) take over. Any other 4xx fails the meeting with the
provider's message, since asking again would get the same answer.
"""

from __future__ import annotations

import io
import time
import wave
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any

import httpx
import numpy as np

from minutes import audio
from minutes.asr.languages import language_code
from minutes.config import Settings
from minutes.errors import BadInput, TransientError
from minutes.transcript import Segment, Transcript, Word, clamp

WAV_BYTES_PER_SECOND = audio.SAMPLE_RATE * 2
MAX_RETRY_WAIT_SECONDS = 60.0


class RemoteTranscriptionFailed(BadInput):
    """The service refused the request (bad key, unknown model, unsupported audio)."""


def longest_upload_seconds(settings: Settings) -> float:
    """The most audio one request may carry as WAV under the provider's upload limit."""
    return (settings.asr_max_upload_bytes - 1024) / WAV_BYTES_PER_SECOND


@dataclass
class RemoteRecognizer:
    """A `Recognizer` (minutes.pipeline.transcribe) that asks the configured service."""

    settings: Settings
    client: httpx.Client
    model: str
    prompt: str | None = None
    temperature: float | None = None

    @classmethod
    def open(
        cls,
        settings: Settings,
        model: str | None = None,
        prompt: str | None = None,
        temperature: float | None = None,
    ) -> RemoteRecognizer:
        """`model` overrides MINUTES_ASR_MODEL for one meeting."""
        assert settings.asr_base_url, "the settings refuse the openai backend without one"
        key = settings.asr_api_key.get_secret_value() if settings.asr_api_key else ""
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        client = httpx.Client(
            base_url=settings.asr_base_url.rstrip("/"),
            headers=headers,
            timeout=settings.asr_timeout_seconds,
        )
        return cls(settings, client, model or settings.asr_model, prompt, temperature)

    def close(self) -> None:
        self.client.close()

    def __call__(
        self,
        pcm: audio.PCM,
        *,
        language: str | None,
        on_progress: Callable[[float], None],
        on_segment: Callable[[Segment], None],
    ) -> Transcript:
        form: dict[str, Any] = {
            "model": self.model,
            "response_format": "verbose_json",
            "timestamp_granularities[]": ["segment", "word"],
        }
        optional = {"language": language, "prompt": self.prompt, "temperature": self.temperature}
        form.update({name: str(value) for name, value in optional.items() if value is not None})
        response = self._post(form, _wav(pcm))
        transcript = _transcript(response.json(), len(pcm) / audio.SAMPLE_RATE)
        for segment in transcript.segments:
            on_segment(segment)
        on_progress(1.0)
        return transcript

    def _post(self, form: dict[str, Any], wav: bytes) -> httpx.Response:
        retries = self.settings.asr_retries
        for attempt in range(retries + 1):
            wait = 2.0**attempt
            try:
                response = self.client.post(
                    "/audio/transcriptions",
                    data=form,
                    files={"file": ("audio.wav", wav, "audio/wav")},
                )
            except httpx.TransportError as error:
                failure = f"the transcription service did not answer: {error}"
            else:
                if response.is_success:
                    return response
                if response.status_code != 429 and response.status_code < 500:
                    raise RemoteTranscriptionFailed(
                        f"the transcription service answered {response.status_code}: "
                        f"{_message(response)}"
                    )
                failure = f"the transcription service answered {response.status_code}"
                wait = _retry_after(response) or wait
            if attempt == retries:
                raise TransientError(f"{failure} ({retries + 1} tries)")
            time.sleep(min(wait, MAX_RETRY_WAIT_SECONDS))
        raise AssertionError("unreachable")


def _wav(pcm: audio.PCM) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(audio.SAMPLE_RATE)
        out.writeframes((np.clip(pcm, -1.0, 1.0) * 32767).astype(np.int16).tobytes())
    return buffer.getvalue()


def _message(response: httpx.Response) -> str:
    try:
        error = response.json().get("error")
    except ValueError:
        return response.text[:500]
    if isinstance(error, dict) and error.get("message"):
        return str(error["message"])
    return response.text[:500]


def _retry_after(response: httpx.Response) -> float | None:
    """Retry-After in seconds or as an HTTP date."""
    value = response.headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        return max(parsedate_to_datetime(value).timestamp() - time.time(), 0.0)
    except (TypeError, ValueError):
        return None


def _transcript(body: dict[str, Any], duration: float) -> Transcript:
    """OpenAI's verbose_json as minutes' transcript: words go to the segment they fall in."""
    words = [
        Word(
            word=str(w["word"]).strip(),
            start=clamp(float(w["start"]), duration),
            end=clamp(float(w["end"]), duration),
        )
        for w in body.get("words") or []
        if str(w.get("word", "")).strip()
    ]
    raw_segments = [s for s in body.get("segments") or [] if str(s.get("text", "")).strip()]
    if not raw_segments and str(body.get("text", "")).strip():
        raw_segments = [{"start": 0.0, "end": duration, "text": body["text"]}]
    segments = [
        Segment(
            start=clamp(float(raw["start"]), duration),
            end=clamp(float(raw["end"]), duration),
            text=str(raw["text"]).strip(),
            confidence=float(np.exp(raw["avg_logprob"]))
            if raw.get("avg_logprob") is not None
            else None,
            no_speech_prob=raw.get("no_speech_prob"),
            compression_ratio=raw.get("compression_ratio"),
        )
        for raw in raw_segments
    ]
    for word in words:
        middle = (word.start + word.end) / 2
        nearest = min(
            segments,
            key=lambda s: (
                0.0
                if s.start <= middle <= s.end
                else min(abs(s.start - middle), abs(s.end - middle))
            ),
            default=None,
        )
        if nearest is not None:
            nearest.words.append(word)
    language = language_code(str(body.get("language") or "")) or "en"
    # providers report no probability for the language (minutes does not store it either)
    return Transcript(language=language, language_probability=1.0, segments=segments)
