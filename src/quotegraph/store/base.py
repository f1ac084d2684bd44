"""What a corpus store does, whatever database holds it.

Ingest and the query commands talk to a ``Store``; ``SqliteStore`` is the
embedded default and ``PostgresStore`` the shared server (``store.backends``
picks one from ``--db``); a new method here needs both, with the same
results. Every write method is one transaction: it happens whole or not at
all, which is what lets an ingest killed at any moment resume cleanly.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from importlib import metadata
from typing import TYPE_CHECKING, Any, Protocol

from ..model import ArticleResult
from ..options import Options

if TYPE_CHECKING:  # the store writes clusters but never runs the clustering
    from ..cluster import QuoteCluster


@dataclass(frozen=True, slots=True)
class Extraction:
    """What produced a set of results: quotegraph's version, the model's, and the options.

    An article extracted under another ``version`` is extracted again on the
    next ingest, so a new engine, model or setting reaches the whole corpus.
    """

    quotegraph: str
    model: str
    options: str  # Options.to_dict() as JSON

    @classmethod
    def of(cls, options: Options) -> Extraction:
        """The extraction that ``options`` make with this quotegraph and the model they name."""
        from .. import __version__

        try:
            model = f"{options.model} {metadata.version(options.model)}"
        except metadata.PackageNotFoundError:
            model = options.model  # a pipeline loaded from a folder has no version to record
        return cls(__version__, model, json.dumps(options.to_dict(), sort_keys=True))

    @property
    def version(self) -> str:
        """A short name for the three: quotegraph's version and a hash of the rest."""
        digest = hashlib.sha256(f"{self.model}\n{self.options}".encode()).hexdigest()[:12]
        return f"{self.quotegraph}+{digest}"


@dataclass(frozen=True, slots=True)
class Article:
    """One stored article: its identity, metadata and text.

    key: the article's identity, its normalised URL or else ``sha256:`` and the
        hash of its text (``quotegraph.ingest.identity``).
    source_id: the id the input gave it (file name, JSONL ``id``, WARC record id),
        kept as first stored: the same article under another id is not a change.
    extraction: the ``extraction_version`` its quotes and people come from.
    """

    key: str
    text: str
    text_hash: str
    extraction: str
    source_id: str | None = None
    url: str | None = None
    title: str | None = None
    outlet: str | None = None
    date: str | None = None

    @property
    def revision(self) -> tuple[Any, ...]:
        """What, when it differs from the stored article's, calls for a new extraction."""
        return (self.text_hash, self.extraction, self.url, self.title, self.outlet, self.date)


class Store(Protocol):
    """The operations of a corpus store."""

    def revision(self, key: str) -> tuple[Any, ...] | None:
        """The stored article's ``Article.revision``, or None when ``key`` is not stored."""

    def write(self, items: Sequence[tuple[Article, ArticleResult]], extraction: Extraction) -> None:
        """Store articles with their results in one transaction, replacing what each key held,
        and mark the clusters stale in the same transaction."""

    def article(self, key: str) -> tuple[Article, ArticleResult] | None:
        """An article and its results as stored, or None."""

    def occurrences(self) -> Iterator[dict[str, Any]]:
        """Every quote occurrence as the fields of ``quotegraph.cluster.Occurrence``."""

    def person_records(self) -> Iterator[dict[str, Any]]:
        """Every per-article person as the fields of ``quotegraph.cluster.PersonRecord``."""

    def replace_clusters(self, clusters: Sequence[QuoteCluster],
                         people: Sequence[Sequence[int]]) -> None:
        """Replace every quote cluster and merged person, in one transaction."""

    def clusters_stale(self) -> bool:
        """Whether articles were written since the last ``replace_clusters``."""

    # The query side: ``quotegraph.store.queries`` documents what each returns.

    def search_clusters(self, words: str, *, speaker: str | None = None, outlet: str | None = None,
                        since: str | None = None, until: str | None = None, type: str | None = None,
                        limit: int = 20) -> list[dict[str, Any]]:
        """Quotes with an occurrence holding every word of ``words`` and passing the filters, best first."""

    def cluster_summaries(self, ids: Sequence[int]) -> list[dict[str, Any]]:
        """A short account of each cluster: canonical text, speaker, occurrences, outlets, first date."""

    def cluster(self, cluster_id: int) -> dict[str, Any] | None:
        """One quote whole: speaker vote and every occurrence with its variant; None when absent."""

    def export_rows(self) -> Iterator[dict[str, Any]]:
        """Every cluster as one Quotebank-like row, streamed in id order."""

    def people(self, *, limit: int | None = None, offset: int = 0,
               outlet: str | None = None) -> list[dict[str, Any]]:
        """Merged people, most quoted first (a page of them; counted in one outlet's articles)."""

    def people_named(self, word: str) -> list[tuple[int, list[str]]]:
        """Merged people one of whose names holds ``word``, with all their names."""

    def person(self, person_id: int) -> dict[str, Any] | None:
        """One merged person: aliases, descriptors, gender evidence and quotes; None when absent."""

    def stats(self) -> dict[str, Any]:
        """Totals over the corpus, quoted people by gender among them."""

    def counts(self) -> dict[str, int]:
        """How many articles, quotes, people, clusters and merged people are stored."""

    # What the web pages and the API read besides: ``quotegraph.store.browse`` documents each shape.

    def search_quotes(self, words: str | None, *, speaker: str | None = None, outlet: str | None = None,
                      since: str | None = None, until: str | None = None, type: str | None = None,
                      sort: str = "relevance", offset: int = 0, limit: int = 20) -> dict[str, Any]:
        """One page of matching quotes, sorted by relevance, date or occurrences, with the total."""

    def search_facets(self, words: str | None, *, speaker: str | None = None, outlet: str | None = None,
                      since: str | None = None, until: str | None = None,
                      type: str | None = None) -> dict[str, Any]:
        """Matching quotes counted by speaker, outlet, type and month (over a bounded number of matches)."""

    def latest_quotes(self, limit: int = 10) -> list[dict[str, Any]]:
        """The quotes of the latest articles, latest first."""

    def most_repeated_quotes(self, limit: int = 10) -> list[dict[str, Any]]:
        """The quotes with the most occurrences, most first."""

    def article_view(self, article_id: int) -> dict[str, Any] | None:
        """One article by its number with every quote and person span; None when absent."""

    def person_activity(self, person_id: int) -> dict[str, list[list[Any]]]:
        """A merged person's occurrences by day and by outlet."""

    def occurrences_by_day(self, *, outlet: str | None = None) -> list[list[Any]]:
        """Quote occurrences per article date."""

    def outlets(self) -> list[dict[str, Any]]:
        """Every outlet with its articles and occurrences."""

    def quoted_people_by_gender(self, *, by: str = "month", outlet: str | None = None) -> list[list[Any]]:
        """Distinct quoted people by gender, per month or per outlet."""

    def time_limit(self, seconds: float) -> AbstractContextManager[None]:
        """A block whose queries are stopped with ``QueryError`` (E059) once ``seconds`` have passed."""

    def close(self) -> None:
        """Release the database."""
