"""How results become table rows and come back, the same for every backend.

``SqliteStore`` and ``PostgresStore`` keep the same tables with the same
columns; only their SQL dialects differ. So the conversions between the data
model and rows live here once, and each store adds only its own statements.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from ..model import ArticleResult, Person, Quote, Span
from .base import Article
from .queries import quoted

ARTICLE_COLUMNS = ("key", "source_id", "url", "title", "outlet", "date", "text", "text_hash", "extraction")
PERSON_COLUMNS = ("article", "pid", "name", "kind", "gender", "descriptors", "age", "handles", "mentions")
QUOTE_COLUMNS = ("article", "start_char", "end_char", "spans", "text", "type", "speaker", "speaker_id",
                 "mention_start", "mention_end", "mention_text", "cue_start", "cue_end", "cue_text",
                 "channel", "confidence", "evidence")


def to_json(value: Any) -> str:
    """The compact JSON a text column holds."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def span_row(span: Span | None) -> tuple[int | None, int | None, str | None]:
    return (span.start, span.end, span.text) if span else (None, None, None)


def variant_row(variant: Any) -> tuple[str | None, int | None, str | None]:
    """A cluster member's variant as (kind, truncated, changes as JSON); all None for none."""
    if variant is None:
        return None, None, None
    return variant.kind, int(variant.truncated), to_json(variant.changes)


def article_values(article: Article) -> tuple[Any, ...]:
    return tuple(getattr(article, c) for c in ARTICLE_COLUMNS)


def person_rows(article_id: int, result: ArticleResult) -> list[tuple[Any, ...]]:
    """The ``people`` rows (``PERSON_COLUMNS``) of one article's result."""
    return [(article_id, p.id, p.name, p.kind, p.gender, to_json(p.descriptors), p.age, to_json(p.handles),
             to_json(p.mentions)) for p in result.people]


def quote_rows(article_id: int, result: ArticleResult) -> list[tuple[Any, ...]]:
    """The ``quotes`` rows (``QUOTE_COLUMNS``) of one article's result."""
    return [(article_id, q.start, q.end, to_json(q.spans), q.text, q.type, q.speaker, q.speaker_id,
             *span_row(q.speaker_mention), *span_row(q.cue), q.channel, q.confidence, q.evidence)
            for q in result.quotes]


def quote_from_row(row: Sequence[Any]) -> Quote:
    """A quote from its ``QUOTE_COLUMNS`` less ``article``."""
    (start, end, spans, text, type_, speaker, speaker_id, m_start, m_end, m_text, c_start, c_end, c_text,
     channel, confidence, evidence) = row
    return Quote(start=start, end=end, spans=tuple(tuple(s) for s in json.loads(spans)), text=text, type=type_,
                 speaker=speaker, speaker_id=speaker_id,
                 speaker_mention=Span(m_start, m_end, m_text) if m_text is not None else None,
                 cue=Span(c_start, c_end, c_text) if c_text is not None else None,
                 channel=channel, confidence=confidence, evidence=evidence)


def person_from_row(row: Sequence[Any]) -> Person:
    """A person from their ``PERSON_COLUMNS`` less ``article``."""
    pid, name, kind, gender, descriptors, age, handles, mentions = row
    return Person(id=pid, name=name, kind=kind, gender=gender, descriptors=tuple(json.loads(descriptors)),
                  age=age, handles=tuple(json.loads(handles)), mentions=tuple(tuple(m) for m in json.loads(mentions)))


def stored_article(row: Sequence[Any], people: Iterable[Sequence[Any]],
                   quotes: Iterable[Sequence[Any]]) -> tuple[Article, ArticleResult]:
    """An article and its result from its ``ARTICLE_COLUMNS`` row and its people and quote rows, in id order."""
    article = Article(**dict(zip(ARTICLE_COLUMNS, row, strict=True)))
    return article, ArticleResult(id=article.source_id, date=article.date,
                                  quotes=tuple(map(quote_from_row, quotes)), people=tuple(map(person_from_row, people)))


# What clustering reads: every occurrence and every per-article person, in id order (plain SQL
# both dialects take).
OCCURRENCE_RECORDS = """
    SELECT q.id, q.text, q.start_char, q.spans, q.type, a.key, a.date, a.outlet, q.speaker, q.confidence
    FROM quotes q JOIN articles a ON a.id = q.article ORDER BY q.id"""
PERSON_RECORDS = """
    SELECT p.id, a.key, p.name, p.gender, p.descriptors, p.handles
    FROM people p JOIN articles a ON a.id = p.article ORDER BY p.id"""


def occurrence_record(row: Sequence[Any]) -> dict[str, Any]:
    """An ``OCCURRENCE_RECORDS`` row as the fields of ``quotegraph.cluster.Occurrence``: ``article`` is
    the article's key and ``text`` the quote's pieces without the attribution between them."""
    key, text, start, spans, type_, article, date, outlet, speaker, confidence = row
    return {"key": key, "text": quoted(text, start, spans), "type": type_, "article": article, "date": date,
            "outlet": outlet, "speaker": speaker, "confidence": confidence}


def person_record(row: Sequence[Any]) -> dict[str, Any]:
    """A ``PERSON_RECORDS`` row as the fields of ``quotegraph.cluster.PersonRecord``."""
    key, article, name, gender, descriptors, handles = row
    return {"key": key, "article": article, "name": name, "gender": gender,
            "descriptors": tuple(json.loads(descriptors)), "handles": tuple(json.loads(handles))}
