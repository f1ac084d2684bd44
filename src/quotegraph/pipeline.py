"""Compose the stages: read -> parse -> find quotes -> resolve people -> attribute.

Only this module strings the stages together; each stage is a function of a
parsed ``Doc`` and the results of earlier stages.
"""
from __future__ import annotations

import multiprocessing
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from spacy.tokens import Doc

from . import lexicon, nlp, parsing
from .attribute import mentions as mention_finder
from .attribute.people import people
from .attribute.resolve import Resolver
from .attribute.speaker import assign, find_cue
from .errors import InputError, Messages
from .extract import direct, indirect, marks, transcript
from .extract.candidate import Candidate
from .model import ArticleResult, Quote, Span
from .options import Options

# The plain-text article format: " date YYYY-MM-DD " then the article.
DATE_HEADER = re.compile(r"\A\s*date\s+(\d{4}-\d{2}-\d{2})\s")


def parse_date_header(text: str) -> tuple[str | None, int]:
    """Return the date of a ``date YYYY-MM-DD`` header and where the body starts (0 without one)."""
    m = DATE_HEADER.match(text)
    return (m.group(1), m.end()) if m else (None, 0)


def _parse_input(text: str) -> str:
    """The text spaCy sees: same length and offsets, the date header and long punctuation runs blanked."""
    return parsing.neutralise(text, parse_date_header(text)[1])


def analyse(doc: Doc, *, text: str | None = None, id: str | None = None, date: str | None = None,
            options: Options | None = None) -> ArticleResult:
    """Find and attribute every quote of a parsed article.

    doc (Doc): the article parsed by ``nlp.load(options.model)``.
    text (str): the original text, when ``doc`` parsed the same-length text of ``_parse_input``.
    """
    options = options or Options()
    lex = lexicon.load()
    text = doc.text if text is None else text
    quoted = marks.find(text)
    # The " date YYYY-MM-DD " header is not part of the headline after it: a quote that
    # opens the headline stands alone.
    header_end = parse_date_header(text)[1]
    paragraph_ranges = [(max(lo, header_end), hi) for lo, hi in marks.paragraphs(text) if hi > header_end]
    para_starts = [lo for lo, _ in paragraph_ranges] or [0]
    quote_zones = [(q.open_pos, q.close_pos + 1) for q in quoted]

    cands = direct.candidates(text, quoted, para_starts, lex, join_all=options.join_all or options.attributions)
    turns = transcript.candidates(doc, text, paragraph_ranges)
    if turns:
        taken = marks.mask(len(text), [s for c in cands for s in c.spans])
        cands = sorted(cands + [t for t in turns if not taken.count(1, t.start, t.end)], key=lambda c: c.start)
    if not options.partial:
        cands = [c for c in cands if c.type != "partial"]
    in_quote = marks.mask(len(text), quote_zones)
    for c in cands:
        if c.subject is None:
            find_cue(doc, c, in_quote, lex)
    is_direct = marks.mask(len(text), [s for c in cands if c.type == "direct" for s in c.spans])
    direct_zones = marks.mask(len(text), [(q.open_pos, q.close_pos + 1) for q in quoted
                                          if is_direct.count(1, q.start, q.end)]
                              + [s for t in turns for s in t.spans])
    if options.indirect:
        reported = indirect.candidates(doc, text, direct_zones, para_starts, lex, attributions=options.attributions)
        # Quoted fragments inside a reported clause belong to it.
        is_reported = marks.mask(len(text), [s for r in reported for s in r.spans])
        cands = [c for c in cands if not (c.type == "partial" and is_reported[c.start] and is_reported[c.end - 1])]
        cands = sorted(cands + reported, key=lambda c: c.start)

    found = mention_finder.find(doc, lex, in_quote, {c.subject for c in cands if c.subject is not None})
    resolver = Resolver(lex)
    attributions = assign(doc, cands, found, resolver, lex)
    persons, pid = people(resolver, {a.entity.id for a in attributions if a.entity is not None})

    quotes = []
    for c, a in zip(cands, attributions, strict=True):
        e = a.entity
        if c.type == "partial" and (e is None or e.kind == "organisation" or not _has_verb(doc, c)):
            continue  # a fragment in marks that no person said, or a mere phrase: scare quotes
        if c.type == "direct" and c.cue is None and len(text[c.start:c.end].split()) <= 8 and not _has_verb(doc, c):
            continue  # "platform", "Best season in years": words named, not said
        if paragraph_ranges and _teaser(text, paragraph_ranges[marks.paragraph_of(para_starts, c.start)], lex):
            continue  # "READ MORE: 'Still in shock'": another story's headline
        quotes.append(Quote(
            start=c.start, end=c.end, spans=tuple(c.spans),
            text=text[c.start:c.end], type=c.type,
            speaker=a.speaker, speaker_id=pid.get(e.id) if e else None,
            speaker_mention=Span(a.mention.start, a.mention.end, a.mention.text) if a.mention else None,
            cue=Span(c.cue_span[0], c.cue_span[1], text[c.cue_span[0]:c.cue_span[1]]) if c.cue_span else None,
            channel=c.channel, confidence=a.confidence,
            evidence="; ".join(c.reasons) or "no evidence",
        ))
    return ArticleResult(id=id, date=date, quotes=tuple(quotes), people=tuple(persons))


_LABEL = re.compile(r"\s*([A-Z][A-Z ]{1,20}[A-Z]):")


def _teaser(text: str, paragraph: tuple[int, int], lex: lexicon.Lexicon) -> bool:
    """Whether a paragraph is a link to another story ("WATCH: ...", "READ MORE: ...")."""
    m = _LABEL.match(text, paragraph[0], paragraph[1])
    return m is not None and m.group(1).lower() in lex.teasers


def _has_verb(doc: Doc, cand: Candidate) -> bool:
    span = doc.char_span(cand.start, cand.end, alignment_mode="expand")
    return span is not None and any(t.tag_.startswith("VB") for t in span)


def extract(text: str, *, date: str | None = None, id: str | None = None,
            options: Options | None = None) -> ArticleResult:
    """Find every quotation in one article and attribute it.

    text (str): the article exactly as given; every offset in the result points into it.
    date (str): the article's date; when omitted, read from a ``date`` header if any.
    id (str): passed through to the result.
    RETURNS (ArticleResult): quotes and people, with ``.to_dict()``.
    """
    return next(extract_many([{"text": text, "date": date, "id": id}], options=options))


def _record(article: str | Mapping[str, Any]) -> dict[str, Any]:
    if isinstance(article, str):
        article = {"text": article}
    text = article.get("text")
    if not isinstance(text, str):
        raise InputError(Messages.E001.format(type=type(text).__name__))
    date = article.get("date") or parse_date_header(text)[0]
    return {"text": text, "id": article.get("id"), "date": date}


def _run(records: list[dict[str, Any]], options: Options, batch_size: int) -> list[ArticleResult]:
    model = nlp.load(options.model)
    texts = (_parse_input(r["text"]) for r in records)
    out = []
    docs = parsing.parse(texts, model, selective=options.selective, batch_size=batch_size,
                         max_chars=options.max_chars)
    for r, doc in zip(records, docs, strict=True):
        out.append(analyse(doc, text=r["text"], id=r["id"], date=r["date"], options=options))
    return out


def _worker(args: tuple[list[dict[str, Any]], Options, int]) -> list[ArticleResult]:
    return _run(*args)


def _chunks(records: Iterator[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    chunk: list[dict[str, Any]] = []
    for r in records:
        chunk.append(r)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def extract_many(articles: Iterable[str | Mapping[str, Any]], *, jobs: int = 1,
                 options: Options | None = None, batch_size: int = 16) -> Iterator[ArticleResult]:
    """Extract from many articles, in input order, over ``jobs`` processes.

    articles: texts, or mappings with ``text`` and optional ``id`` and ``date``.
    jobs (int): worker processes; each loads the model once.
    RETURNS: an iterator of ``ArticleResult`` in input order (it streams: input is read lazily).
    """
    options = options or Options()
    records = (_record(a) for a in articles)
    chunks = _chunks(records, batch_size)
    if jobs <= 1:
        for chunk in chunks:
            yield from _run(chunk, options, batch_size)
        return
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(jobs) as pool:
        for results in pool.imap(_worker, ((c, options, batch_size) for c in chunks)):
            yield from results
