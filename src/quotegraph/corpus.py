"""``Corpus``: a collection of articles with their quotes and people, in a database.

The library's entry point for everything across articles: ingest (which ends
by clustering), search, one quote, people, totals and export. The ``quotegraph
ingest`` command and the query commands (``corpus_cli``) are thin layers over
it; what the store reads is in ``quotegraph.store.queries``, how results are
laid out for reading in ``quotegraph.reports``.
"""
from __future__ import annotations

import datetime
import logging
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, BinaryIO, Self, TextIO

from .cluster import Occurrence, PersonRecord, cluster_quotes, merge_people
from .cluster.people import normalise_name
from .cluster.quotes import TYPES
from .errors import InputError, Messages, QueryError
from .export import write_rows
from .ingest.run import BATCH, IngestStats, OnProgress, ingest
from .model import ArticleResult
from .options import Options, corpus_options
from .store import Article, open_store
from .store.backends import shown

logger = logging.getLogger(__name__)


def _log_skip(error: InputError) -> None:
    logger.warning("%s; skipped", error)


_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


def checked_date(value: str | None) -> str | None:
    """``value`` if it is an ISO date or its year or month (``2026-03``), else ``QueryError`` (E050)."""
    if not value:
        return None
    if _DATE.fullmatch(value):
        year, month, day = (value.split("-") + ["01", "01"])[:3]
        try:
            datetime.date(int(year), int(month), int(day))
            return value
        except ValueError:
            pass
    raise QueryError(Messages.E050.format(value=value))


def checked_type(value: str | None) -> str | None:
    """``value`` if it is a quote type (direct, partial, indirect), else ``QueryError`` (E051)."""
    if value and value not in TYPES:
        raise QueryError(Messages.E051.format(value=value, types=", ".join(TYPES)))
    return value or None


def _at_least(value: int, minimum: int, name: str) -> int:
    if value < minimum:
        raise QueryError(Messages.E057.format(value=f"{name} {value}", minimum=minimum))
    return value


class Corpus:
    """A corpus in a SQLite file or a PostgreSQL database, created and brought up to date on open.

        with Corpus("news.db") as corpus:
            corpus.ingest(["crawl.warc.gz", "feeds/"], jobs=2)
            corpus.search("rebuild the pier", since="2026-03")
            corpus.quote(corpus.find_quote("rebuild the pier"))
            corpus.people(top=10)

    path (str or Path): the database file, or a PostgreSQL URL
        (``postgresql://user:password@host/database``) whose database exists.
    options (Options): how articles are extracted; articles stored under other
        options (or another quotegraph or model version) are extracted again when ingested.
        By default ``corpus_options()``: a quote interrupted by its attribution is one occurrence.
    create (bool): make the corpus when there is none (the SQLite file, or the tables in the
        PostgreSQL database); when False, that is an error (E033), as the query commands want.
    """

    def __init__(self, path: str | Path = "quotegraph.db", *, options: Options | None = None,
                 create: bool = True) -> None:
        self.options = options or corpus_options()
        self.where = shown(path)  # for messages: a URL without its password
        self.store = open_store(path, create=create)

    def ingest(self, paths: Sequence[str], *, jobs: int = 1, on_progress: OnProgress | None = None,
               on_skip: Callable[[InputError], None] = _log_skip, stdin: BinaryIO | None = None,
               batch: int = BATCH, sample: bool = False) -> IngestStats:
        """Add the articles of ``paths``: new ones are extracted, changed ones re-extracted, the rest skipped;
        then cluster the quotes and people again if anything changed (``recluster``).

        Safe to interrupt at any moment and run again. See ``quotegraph.ingest.run.ingest``.
        on_progress (callable): receives the live ``IngestStats`` a few times a second.
        on_skip (callable): receives the ``InputError`` of each input that cannot be read; by default logged.
        batch (int): the most articles one transaction writes; an interruption loses at most one batch's work.
        sample (bool): ingest the ten fictional sample articles bundled with quotegraph instead of
            ``paths``, each with its outlet (three stories, told by three or four outlets each).
        RETURNS (IngestStats): what was read, added, replaced, skipped and found.
        """
        stats = ingest(self.store, paths, jobs=jobs, options=self.options,
                       on_progress=on_progress or (lambda _: None), on_skip=on_skip, stdin=stdin, batch=batch,
                       sample=sample)
        if self.store.clusters_stale():
            self.recluster()
        return stats

    def recluster(self) -> None:
        """Cluster every quote occurrence into quotes and every per-article person into people, anew.

        Ingest calls this when articles were written since the last clustering,
        including by an earlier run killed before it got here, and skips it
        otherwise, so a re-run over an unchanged corpus stays instant. The result
        depends only on what the store holds (``quotegraph.cluster`` is
        deterministic), and it replaces the old clusters in one transaction.
        """
        clusters = cluster_quotes(Occurrence(**row) for row in self.store.occurrences())
        people = merge_people(PersonRecord(**row) for row in self.store.person_records())
        self.store.replace_clusters(clusters, people)

    def counts(self) -> dict[str, int]:
        """How many articles, quotes, people, clusters and merged people the corpus holds."""
        return self.store.counts()

    def article(self, key: str) -> tuple[Article, ArticleResult] | None:
        """The article stored under ``key`` (a normalised URL or ``sha256:...``) and its quotes and people."""
        return self.store.article(key)

    def search(self, text: str, *, speaker: str | None = None, outlet: str | None = None,
               since: str | None = None, until: str | None = None, type: str | None = None,
               limit: int = 20) -> list[dict[str, Any]]:
        """Quotes with an occurrence holding every word of ``text`` (English word forms match), best first.

        speaker, outlet (str): part of the name (any case) of the occurrence's speaker, or its
            quote's, and of its outlet.
        since, until (str): ISO dates, inclusive; ``2026-03`` and ``2026`` stand for the whole month or year.
        type (str): direct, partial or indirect occurrences only.
        RETURNS (list of dict): per quote ``id``, ``quotation`` (canonical text), ``speaker``,
            ``occurrences``, ``outlets``, ``first_date``, ``altered`` and ``matches``, the
            occurrences that matched (``key``, ``text``, ``start`` and ``end`` in the article's
            text, ``type``, ``speaker``, ``confidence``,
            ``article`` (its key), ``article_id``, ``url``, ``title``, ``outlet``, ``date``), best first.
        Raises ``QueryError`` for a bad date (E050), type (E051) or limit (E057).
        """
        return self.store.search_clusters(
            text, speaker=speaker or None, outlet=outlet or None, since=checked_date(since), until=checked_date(until),
            type=checked_type(type), limit=_at_least(limit, 1, "limit"))

    def quote(self, quote_id: int) -> dict[str, Any]:
        """One quote: canonical text, speaker vote and every occurrence, earliest first.

        quote_id (int): the quote's id, or the ``key`` of any of its occurrences (as ``search`` gives them).

        RETURNS (dict): ``id``, ``canonical`` and ``earliest`` (occurrence keys), ``speaker``,
            ``speakers`` ([name, share] pairs, best first), ``altered`` and ``occurrences``,
            each as in ``search`` plus its ``variant`` (canonical, verbatim,
            spelling_punctuation, altered, paraphrase), ``truncated``, ``changes``
            ([op, canonical words, its words, spelling only] per difference) and ``person``
            (its speaker's id among ``people``, or None).
        Raises ``QueryError`` (E052) when there is no such quote.
        """
        found = self.store.cluster(quote_id)
        if found is None:
            raise QueryError(Messages.E052.format(id=quote_id, where=self.where))
        return found

    def find_quote(self, text: str) -> int:
        """The id of the quote that best matches the words of ``text``.

        Raises ``QueryError`` (E053) when no quote holds them all.
        """
        hits = self.store.search_clusters(text, limit=1)
        if not hits or hits[0]["id"] is None:
            raise QueryError(Messages.E053.format(where=self.where, words=text))
        return hits[0]["id"]

    def people(self, *, top: int | None = 20) -> list[dict[str, Any]]:
        """People and organisations across articles, most quoted first (``top`` of them; None for all).

        RETURNS (list of dict): ``id``, ``name``, ``kind``, ``gender`` (what most of their
            articles state, or None), ``quotes`` (distinct quotes they are credited with),
            ``occurrences`` and ``articles``.
        """
        return self.store.people(limit=None if top is None else _at_least(top, 1, "top"))

    def person(self, name: str) -> list[dict[str, Any]]:
        """The people called ``name``: those whose name it is (case, accents, titles aside), else those
        one of whose names holds it as whole words ("Osterby" finds "Dr Halina Osterby").

        RETURNS (list of dict): per person ``id``, ``name``, ``kind``, ``aliases``,
            ``descriptors``, ``handles`` and ``genders`` (each [value, articles]), ``gender``,
            ``articles``, ``outlets`` and ``quotes`` (as in ``search``, with ``by_them``, their
            occurrences of it), the best-known first.
        Raises ``QueryError`` (E054) when nobody is called that.
        """
        wanted = normalise_name(name)
        words = name.split()
        candidates = self.store.people_named(words[-1]) if words else []
        exact = [i for i, names in candidates if wanted in {normalise_name(n) for n in names}]
        padded = f" {wanted} "
        inside = [i for i, names in candidates if any(padded in f" {normalise_name(n)} " for n in names)]
        found = [self.store.person(i) for i in (exact or inside)]
        if not found:
            raise QueryError(Messages.E054.format(where=self.where, name=name))
        return sorted(found, key=lambda p: (-len(p["quotes"]), -p["articles"], p["id"]))

    def stats(self) -> dict[str, Any]:
        """Totals: ``articles``, ``outlets``, ``first_date``, ``last_date``, ``occurrences``,
        ``quotes`` (clusters), ``quotes_in_several_articles``, ``altered_quotes``, ``people``,
        ``organisations``, ``quoted_people`` and ``quoted_people_by_gender`` ({gender: {people, share}})."""
        return self.store.stats()

    def export(self, out: TextIO | BinaryIO | str | Path, *, format: str = "jsonl") -> int:
        """Write one row per quote (``quotegraph.export.COLUMNS``) as jsonl, csv or parquet.

        out: a file name, or an open file (text for jsonl and csv, binary for parquet).
        RETURNS (int): how many rows were written.
        """
        return write_rows(self.store.export_rows(), out, format=format)

    @property
    def clusters_stale(self) -> bool:
        """Whether an ingest stored articles and was stopped before clustering them."""
        return self.store.clusters_stale()

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()
