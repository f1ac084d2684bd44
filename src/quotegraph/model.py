"""The data model: plain frozen dataclasses that serialise without spaCy.

Every span is a pair of character offsets (Python string offsets, end exclusive)
into the article text exactly as given, so results can leave the process and be
checked against the text by anyone.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

QUOTE_TYPES = ("direct", "partial", "indirect")


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of the article text: ``text == article[start:end]``."""

    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True, slots=True)
class Quote:
    """One quotation and its attribution.

    ``start``/``end`` envelope the content without its outer quote marks;
    ``spans`` lists the pieces when an attribution interrupts the quote.
    """

    start: int
    end: int
    spans: tuple[tuple[int, int], ...]
    text: str
    type: str
    speaker: str | None = None
    speaker_id: str | None = None
    speaker_mention: Span | None = None
    cue: Span | None = None
    channel: str | None = None
    confidence: float = 0.0
    evidence: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "spans": [list(s) for s in self.spans],
            "text": self.text,
            "type": self.type,
            "speaker": self.speaker,
            "speaker_id": self.speaker_id,
            "speaker_mention": self.speaker_mention.to_dict() if self.speaker_mention else None,
            "cue": self.cue.to_dict() if self.cue else None,
            "channel": self.channel,
            "confidence": round(self.confidence, 3),
            "evidence": self.evidence,
        }


@dataclass(frozen=True, slots=True)
class Person:
    """A person (or organisation) the article mentions, resolved within the article.

    ``gender`` is only set where the text states it (pronouns, honorifics,
    gendered nouns); it is never guessed from a first name.
    """

    id: str
    name: str
    gender: str | None = None
    descriptors: tuple[str, ...] = ()
    age: int | None = None
    handles: tuple[str, ...] = ()
    mentions: tuple[tuple[int, int], ...] = ()
    kind: str = "person"

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "gender": self.gender,
            "descriptors": list(self.descriptors),
            "age": self.age,
            "handles": list(self.handles),
            "mentions": [list(m) for m in self.mentions],
            "kind": self.kind,
        }


@dataclass(frozen=True, slots=True)
class ArticleResult:
    """Everything quotegraph found in one article."""

    id: str | None
    date: str | None
    quotes: tuple[Quote, ...] = ()
    people: tuple[Person, ...] = ()
    meta: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "date": self.date}
        out.update(self.meta)
        out["quotes"] = [q.to_dict() for q in self.quotes]
        out["people"] = [p.to_dict() for p in self.people]
        return out
