"""The Parquet datasets the Spark jobs write, and the conversions between their rows and quotegraph's model.

``quotegraph spark extract`` writes, under its OUTPUT folder:

- ``articles/``: one row per article, the fields of ``store.Article`` and its ``number``;
- ``occurrences/``: one row per quote, every field of ``Quote`` (the SQLite store's
  columns) plus what clustering reads: ``quotation`` (``Occurrence.text``, the pieces of a
  split quote joined) and the article's ``date``, ``outlet`` and ``url``;
- ``people/``: one row per person an article resolves, every field of ``Person``;
- ``extractions/``: the ``store.Extraction`` (quotegraph, model, options) the results come from.

Articles are numbered in input order (``number``); a quote's ``key`` is its article's
number times ``KEY_STRIDE`` plus its place in the article's result (``position``), and a
person's likewise, so keys are unique, stable for the same input, and in the order a
local ingest of the same input stores them: clustering breaks ties by key, and so both
paths break them alike. Every dataset is written sorted by ``number``.

``quotegraph spark cluster`` writes one row per quote, the columns of ``quotegraph
export`` (``export.COLUMNS``) plus ``occurrences``, the keys of its occurrences.

Schemas are Spark DDL strings, so this module needs no pyspark: ``quotegraph load``
reads the same datasets with pyarrow alone.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..cluster import Occurrence
from ..model import ArticleResult, Person, Quote, Span
from ..store.base import Article, Extraction
from ..store.rows import span_row

# Room for this many quotes (or people) in one article; a 200,000-character article holds a few thousand.
KEY_STRIDE = 1 << 20

ARTICLES = ("number BIGINT, key STRING, source_id STRING, url STRING, title STRING, outlet STRING, date STRING, "
            "text STRING, text_hash STRING, extraction STRING")
OCCURRENCES = ("key BIGINT, number BIGINT, article STRING, position INT, start_char INT, end_char INT, "
               "spans ARRAY<ARRAY<INT>>, text STRING, quotation STRING, type STRING, speaker STRING, "
               "speaker_id STRING, mention_start INT, mention_end INT, mention_text STRING, cue_start INT, "
               "cue_end INT, cue_text STRING, channel STRING, confidence DOUBLE, evidence STRING, date STRING, "
               "outlet STRING, url STRING")
PEOPLE = ("key BIGINT, number BIGINT, article STRING, position INT, pid STRING, name STRING, kind STRING, "
          "gender STRING, descriptors ARRAY<STRING>, age INT, handles ARRAY<STRING>, mentions ARRAY<ARRAY<INT>>")
EXTRACTIONS = "version STRING, quotegraph STRING, model STRING, options STRING"
# export.parquet_schema(), and the occurrence keys of each quote.
CLUSTERS = ("quoteID BIGINT, quotation STRING, speaker STRING, probas ARRAY<STRUCT<speaker: STRING, proba: DOUBLE>>, "
            "numOccurrences BIGINT, date STRING, urls ARRAY<STRING>, articles ARRAY<STRING>, outlets ARRAY<STRING>, "
            "type STRING, altered BOOLEAN, occurrences ARRAY<BIGINT>")

EXTRACT_OUTPUT = ("articles", "occurrences", "people", "extractions")
ARTICLE_FIELDS = ("key", "source_id", "url", "title", "outlet", "date", "text", "text_hash", "extraction")


def article_row(number: int, article: Article) -> tuple[Any, ...]:
    return (number, *(getattr(article, name) for name in ARTICLE_FIELDS))


def occurrence_rows(number: int, article: Article, result: ArticleResult) -> list[tuple[Any, ...]]:
    rows = []
    for position, q in enumerate(result.quotes):
        key = number * KEY_STRIDE + position
        quotation = Occurrence.from_quote(key, q, article=article.key).text
        rows.append((key, number, article.key, position, q.start, q.end, [list(s) for s in q.spans], q.text,
                     quotation, q.type, q.speaker, q.speaker_id, *span_row(q.speaker_mention), *span_row(q.cue),
                     q.channel, q.confidence, q.evidence, article.date, article.outlet, article.url))
    return rows


def person_rows(number: int, article: Article, result: ArticleResult) -> list[tuple[Any, ...]]:
    return [(number * KEY_STRIDE + position, number, article.key, position, p.id, p.name, p.kind, p.gender,
             list(p.descriptors), p.age, list(p.handles), [list(m) for m in p.mentions])
            for position, p in enumerate(result.people)]


def extraction_row(extraction: Extraction) -> tuple[str, str, str, str]:
    return (extraction.version, extraction.quotegraph, extraction.model, extraction.options)


def article_of(row: Mapping[str, Any]) -> Article:
    return Article(**{name: row[name] for name in ARTICLE_FIELDS})


def _span_of(start: int | None, end: int | None, text: str | None) -> Span | None:
    return Span(start, end, text) if text is not None else None


def quote_of(row: Mapping[str, Any]) -> Quote:
    return Quote(start=row["start_char"], end=row["end_char"], spans=tuple(tuple(s) for s in row["spans"]),
                 text=row["text"], type=row["type"], speaker=row["speaker"], speaker_id=row["speaker_id"],
                 speaker_mention=_span_of(row["mention_start"], row["mention_end"], row["mention_text"]),
                 cue=_span_of(row["cue_start"], row["cue_end"], row["cue_text"]),
                 channel=row["channel"], confidence=row["confidence"], evidence=row["evidence"])


def person_of(row: Mapping[str, Any]) -> Person:
    return Person(id=row["pid"], name=row["name"], kind=row["kind"], gender=row["gender"],
                  descriptors=tuple(row["descriptors"]), age=row["age"], handles=tuple(row["handles"]),
                  mentions=tuple(tuple(m) for m in row["mentions"]))


def result_of(article: Article, quotes: Sequence[Mapping[str, Any]],
              people: Sequence[Mapping[str, Any]]) -> ArticleResult:
    """The ``ArticleResult`` an article's occurrence and people rows hold, in their ``position`` order."""
    return ArticleResult(id=article.source_id, date=article.date,
                         quotes=tuple(quote_of(r) for r in sorted(quotes, key=lambda r: r["position"])),
                         people=tuple(person_of(r) for r in sorted(people, key=lambda r: r["position"])))


def occurrence_of(row: Mapping[str, Any]) -> Occurrence:
    """The clustering's view of an occurrence row."""
    return Occurrence(row["key"], row["quotation"], row["type"], row["article"], row["date"], row["outlet"],
                      row["speaker"], row["confidence"])
