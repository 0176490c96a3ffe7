"""Action items and decisions from what people commit to, with owner and deadline as said.

Patterns, not guesses: "I'll ...", "I will ...", "I can ...", "we need to ...", "let's ...",
"can you / could you / please ...", "action item: ...". The owner is the speaker for a
first-person promise and the next speaker for a request addressed to someone ("Can you
...?" - "Yes."), and stays empty when the transcript does not say. A due date is only
copied from the same sentence ("by Friday", "tomorrow", "next week", "on March 3rd").
"""

from __future__ import annotations

import re

from minutes.summary.model import ActionItem, KeyPoint, Sentence

_PROMISE = re.compile(
    r"\b(I'll|I will|I can|I am going to|I'm going to)\s+(?!be\b|say\b|think\b)\w", re.I
)
_TEAM_TASK = re.compile(
    r"\b(we need to|we have to|we must|let's|let us)\s+(?!decide\b|start\b|look\b)\w", re.I
)
_REQUEST = re.compile(r"^(?:\w+,\s*)?(can you|could you|would you|please)\b", re.I)
_EXPLICIT = re.compile(r"\baction item\b", re.I)
_DECISION = re.compile(
    r"\b(we will go with|we'll go with|we decided|we have decided|decision is|we agreed|"
    r"let us decide|let's decide|we are going with|we're going with)\b",
    re.I,
)
_DUE = re.compile(
    r"\b(by (?:the end of )?(?:the |this |next )?"
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|tonight|"
    r"week|month|quarter|morning|afternoon|evening|end of (?:the )?(?:day|week|month))"
    r"|(?:by |on )?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
    r"|tomorrow(?: morning| afternoon)?|tonight|today|next (?:week|month|monday|tuesday|"
    r"wednesday|thursday|friday)|end of (?:the )?(?:day|week|month)"
    r"|(?:by |on )?(?:january|february|march|april|may|june|july|august|september|october|"
    r"november|december) \d{1,2}(?:st|nd|rd|th)?)\b",
    re.I,
)


def due_date(text: str) -> str | None:
    match = _DUE.search(text)
    return match.group(0) if match else None


def action_items(sentences: list[Sentence]) -> list[ActionItem]:
    items = []
    for index, sentence in enumerate(sentences):
        text = sentence.text.strip()
        owner: str | None
        if _PROMISE.search(text):
            owner = sentence.speaker
        elif _REQUEST.search(text):
            owner = _next_other_speaker(sentences, index)
        elif _TEAM_TASK.search(text) or _EXPLICIT.search(text):
            owner = None
        else:
            continue
        items.append(
            ActionItem(
                text=text,
                owner=owner,
                due=due_date(text),
                start=sentence.start,
                speaker=sentence.speaker,
            )
        )
    return items


def decisions(sentences: list[Sentence]) -> list[KeyPoint]:
    return [
        KeyPoint(text=s.text, start=s.start, speaker=s.speaker)
        for s in sentences
        if _DECISION.search(s.text)
    ]


def _next_other_speaker(sentences: list[Sentence], index: int) -> str | None:
    asker = sentences[index].speaker
    for later in sentences[index + 1 : index + 4]:
        if later.speaker and later.speaker != asker:
            return later.speaker
    return None
