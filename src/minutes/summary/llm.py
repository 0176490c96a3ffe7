"""Minutes written by an LLM behind any OpenAI-compatible chat endpoint.

The transcript goes in as `[HH:MM:SS] Speaker: sentence` lines so answers can cite who and
when. Long meetings are map-reduced: each chunk of about `llm_chunk_words` words gets its
own minutes (map); decisions and action items are kept from every chunk as they are, and
the chunk summaries are combined, in rounds if need be, into one summary, key points and
topics (reduce), so a three-hour meeting fits any context window. Answers are validated
with pydantic; an invalid one is sent back once with the error, then the stage fails.
Owners must be people in the transcript and a due date must be words of the sentence the
item cites, or they are dropped: the model may not invent them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Annotated, Any, TypeVar

import httpx
from pydantic import AfterValidator, BaseModel, Field, ValidationError

from minutes.config import Settings
from minutes.errors import BadInput, TransientError
from minutes.summary.model import ActionItem, KeyPoint, MeetingSummary, Sentence
from minutes.summary.sentiment import Sentiment, mean_compound
from minutes.transcript import clock

Answer = TypeVar("Answer", bound=BaseModel)


class LLMFailed(BadInput):
    """The endpoint refused the request or twice answered with something unusable."""


class Cited(BaseModel):
    text: str
    time: str = Field(description="The [HH:MM:SS] timestamp of the line it comes from")


class CitedAction(Cited):
    owner: str | None = Field(description="Who will do it, by name as in the transcript")
    due: str | None = Field(description="The deadline exactly as said, or null if none was said")


def _first(count: int) -> AfterValidator:
    return AfterValidator(lambda items: items[:count])


# Lists are capped in the schema (servers that turn the schema into a grammar obey it, so
# a small model cannot ramble until it runs out of tokens); longer answers are cut, not refused.
KeyPoints = Annotated[list[Cited], Field(json_schema_extra={"maxItems": 7}), _first(7)]
Decisions = Annotated[list[Cited], Field(json_schema_extra={"maxItems": 10}), _first(10)]
Actions = Annotated[list[CitedAction], Field(json_schema_extra={"maxItems": 12}), _first(12)]
Topics = Annotated[list[str], Field(json_schema_extra={"maxItems": 6}), _first(6)]


class ChunkMinutes(BaseModel):
    summary: str
    key_points: KeyPoints
    decisions: Decisions
    action_items: Actions
    topics: Topics
    sentiment: Sentiment


class CombinedMinutes(BaseModel):
    summary: str
    key_points: KeyPoints
    topics: Topics
    sentiment: Sentiment


MAP_INSTRUCTIONS = """You write meeting minutes from a transcript. Each line is
[HH:MM:SS] Speaker: what they said.
Reply with one JSON object and nothing else, with these keys:
- "summary": two or three sentences on what was discussed and decided;
- "key_points": the most important points, each {"text", "time"};
- "decisions": what the meeting decided, each {"text", "time"};
- "action_items": tasks someone took on or was asked to do, each {"text", "owner", "due", "time"};
- "topics": a few short topic labels;
- "sentiment": "positive", "neutral" or "negative".
"time" is the timestamp of the line the item comes from. "owner" is the person who will do
the task, by the name used in the transcript, or null. "due" is the deadline in the words
said (like "by Friday"), or null when no deadline was said. Never invent anything."""

REDUCE_INSTRUCTIONS = """You combine partial minutes of one long meeting, given in order.
Reply with one JSON object and nothing else, with these keys:
- "summary": three to five sentences for the whole meeting;
- "key_points": the most important points of the whole meeting, each {"text", "time"},
  keeping the times given;
- "topics": a few short topic labels;
- "sentiment": "positive", "neutral" or "negative".
Use only what the partial minutes say."""


class ChatClient:
    """The one HTTP conversation: POST /chat/completions, JSON back, validated."""

    def __init__(self, settings: Settings) -> None:
        if not settings.llm_base_url:
            raise ValueError("MINUTES_LLM_BASE_URL is not set")
        headers = {}
        if settings.llm_api_key is not None:
            headers["Authorization"] = f"Bearer {settings.llm_api_key.get_secret_value()}"
        self._http = httpx.Client(
            base_url=settings.llm_base_url.rstrip("/") + "/",
            headers=headers,
            timeout=settings.llm_timeout_seconds,
        )
        self._settings = settings
        self._cut_off = False

    def __enter__(self) -> ChatClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self._http.close()

    def ask(self, instructions: str, content: str, answer: type[Answer]) -> Answer:
        """One answer of type `answer`; an invalid reply is sent back once with the error."""
        messages = [
            {"role": "system", "content": instructions},
            {"role": "user", "content": content},
        ]
        reply = self._complete(messages, answer)
        try:
            return self._parse(reply, answer)
        except ValueError as first:
            messages += [
                {"role": "assistant", "content": reply},
                {
                    "role": "user",
                    "content": f"That reply is not usable: {first}. Reply again with the JSON "
                    "object only, with exactly the keys asked for.",
                },
            ]
            reply = self._complete(messages, answer)
            try:
                return self._parse(reply, answer)
            except ValueError as second:
                raise LLMFailed(
                    f"the model {self._settings.llm_model!r} answered twice with output that "
                    f"does not fit the minutes schema: {second}"
                ) from second

    def _complete(self, messages: list[dict[str, str]], answer: type[BaseModel]) -> str:
        body: dict[str, Any] = {
            "model": self._settings.llm_model,
            "messages": messages,
            "temperature": 0,
            "max_tokens": self._settings.llm_max_tokens,
        }
        schema = answer.model_json_schema()
        if self._settings.llm_response_format == "json_schema":
            body["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": answer.__name__, "schema": schema},
            }
        elif self._settings.llm_response_format == "json_object":
            body["response_format"] = {"type": "json_object", "schema": schema}
        try:
            response = self._http.post("chat/completions", json=body)
        except httpx.TransportError as error:
            raise TransientError(f"LLM endpoint unreachable: {error!r}") from error
        status = response.status_code
        if status == 429 or status >= 500:
            raise TransientError(f"LLM endpoint answered HTTP {status}")
        if status >= 400:
            raise LLMFailed(
                f"LLM endpoint refused the request: HTTP {status}: {response.text[:300]}"
            )
        try:
            choice = response.json()["choices"][0]
            content = choice["message"]["content"]
        except (ValueError, KeyError, IndexError, TypeError) as error:
            raise LLMFailed(
                f"LLM endpoint sent no chat completion: {response.text[:300]}"
            ) from error
        self._cut_off = choice.get("finish_reason") == "length"
        return str(content or "")

    def _parse(self, reply: str, answer: type[Answer]) -> Answer:
        try:
            return answer.model_validate_json(_FENCE.sub("", reply))
        except ValidationError as error:
            if self._cut_off:
                limit = self._settings.llm_max_tokens
                raise ValueError(
                    f"the answer was cut off at {limit} tokens (MINUTES_LLM_MAX_TOKENS); be brief"
                ) from error
            problems = "; ".join(
                f"{'.'.join(map(str, e['loc'])) or 'reply'}: {e['msg']}" for e in error.errors()[:5]
            )
            raise ValueError(problems) from error


_FENCE = re.compile(r"^\s*```(?:json)?\s*|\s*```\s*$")


def transcript_lines(sentences: Sequence[Sentence]) -> list[str]:
    return [f"[{clock(s.start)}] {s.speaker or 'Someone'}: {s.text}" for s in sentences]


def chunks(sentences: list[Sentence], max_words: int) -> list[list[Sentence]]:
    """Consecutive sentences of at most `max_words` words together (one long one alone)."""
    parts: list[list[Sentence]] = [[]]
    words = 0
    for sentence in sentences:
        count = len(sentence.text.split())
        if parts[-1] and words + count > max_words:
            parts.append([])
            words = 0
        parts[-1].append(sentence)
        words += count
    return [part for part in parts if part]


def _seconds(time: str) -> float | None:
    match = re.fullmatch(r"\[?(?:(\d+):)?(\d{1,2}):(\d{2})(?:[.,]\d+)?\]?", time.strip())
    if not match:
        return None
    hours, minutes, seconds = (int(group or 0) for group in match.groups())
    return hours * 3600 + minutes * 60 + seconds


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9']+", text.lower()))


def _source(item: Cited, sentences: list[Sentence]) -> Sentence:
    """The sentence an item cites: at its timestamp when valid, else the most alike in words."""
    at = _seconds(item.time)
    if at is not None:
        timed = [s for s in sentences if int(s.start) <= at <= s.end + 1]
        if timed:
            return max(timed, key=lambda s: len(_words(s.text) & _words(item.text)))
    return max(sentences, key=lambda s: len(_words(s.text) & _words(item.text)))


def _said(phrase: str | None, sentences: list[Sentence]) -> bool:
    """Whether `phrase` is made of words of the transcript (so was not invented)."""
    words = _words(phrase or "")
    return bool(words) and words <= _words(" ".join(s.text for s in sentences))


def _owner(owner: str | None, sentences: list[Sentence]) -> str | None:
    if not owner:
        return None
    speakers = {s.speaker for s in sentences if s.speaker}
    return owner if owner in speakers or _said(owner, sentences) else None


def _point(item: Cited, sentences: list[Sentence]) -> KeyPoint:
    source = _source(item, sentences)
    return KeyPoint(text=item.text, start=source.start, speaker=source.speaker)


def _action(item: CitedAction, sentences: list[Sentence]) -> ActionItem:
    source = _source(item, sentences)
    return ActionItem(
        text=item.text,
        owner=_owner(item.owner, sentences),
        due=item.due if _said(item.due, [source]) else None,
        start=source.start,
        speaker=source.speaker,
    )


def _unique(items: list[Any]) -> list[Any]:
    seen: set[str] = set()
    kept = []
    for item in items:
        key = " ".join(sorted(_words(item.text)))
        if key not in seen:
            seen.add(key)
            kept.append(item)
    return kept


def _digest(part: CombinedMinutes) -> str:
    points = "\n".join(f"- [{p.time}] {p.text}" for p in part.key_points)
    return f"Summary: {part.summary}\nKey points:\n{points}\nTopics: {', '.join(part.topics)}"


def _combine(client: ChatClient, parts: list[CombinedMinutes], max_words: int) -> CombinedMinutes:
    """Reduce in rounds: as many digests per request as fit in `max_words`."""
    while len(parts) > 1:
        groups: list[list[CombinedMinutes]] = [[]]
        words = 0
        for part in parts:
            count = len(_digest(part).split())
            if len(groups[-1]) > 1 and words + count > max_words:
                groups.append([])
                words = 0
            groups[-1].append(part)
            words += count
        parts = [
            client.ask(
                REDUCE_INSTRUCTIONS,
                "\n\n".join(f"Part {i}:\n{_digest(p)}" for i, p in enumerate(group, 1)),
                CombinedMinutes,
            )
            if len(group) > 1
            else group[0]
            for group in groups
        ]
    return parts[0]


def summarize_with_llm(
    sentences: list[Sentence],
    settings: Settings,
    on_progress: Callable[[float], None] = lambda fraction: None,
) -> MeetingSummary:
    model_used = f"llm:{settings.llm_model}"
    if not sentences:
        return MeetingSummary(
            summary="",
            key_points=[],
            decisions=[],
            action_items=[],
            topics=[],
            sentiment="neutral",
            sentiment_score=0.0,
            model_used=model_used,
        )
    pieces = chunks(sentences, settings.llm_chunk_words)
    with ChatClient(settings) as client:
        mapped: list[ChunkMinutes] = []
        for done, piece in enumerate(pieces, 1):
            mapped.append(
                client.ask(MAP_INSTRUCTIONS, "\n".join(transcript_lines(piece)), ChunkMinutes)
            )
            on_progress(0.9 * done / len(pieces))
        combined = _combine(
            client,
            [CombinedMinutes.model_validate(m.model_dump()) for m in mapped],
            settings.llm_chunk_words,
        )
    return MeetingSummary(
        summary=combined.summary,
        key_points=[_point(p, sentences) for p in combined.key_points],
        decisions=_unique(
            [_point(d, piece) for m, piece in zip(mapped, pieces, strict=True) for d in m.decisions]
        ),
        action_items=_unique(
            [
                _action(a, piece)
                for m, piece in zip(mapped, pieces, strict=True)
                for a in m.action_items
            ]
        ),
        topics=list(dict.fromkeys(combined.topics)),
        sentiment=combined.sentiment,
        sentiment_score=round(mean_compound([s.text for s in sentences]), 3),
        model_used=model_used,
    )
