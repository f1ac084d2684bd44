"""``Corpus``: a collection of articles with their quotes and people, in a database.

The library's entry point for everything across articles; the ``quotegraph
ingest`` command and the query commands to come are thin layers over it.
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, BinaryIO, Self

from .cluster import Occurrence, PersonRecord, cluster_quotes, merge_people
from .errors import InputError
from .ingest.run import BATCH, IngestStats, OnProgress, ingest
from .model import ArticleResult
from .options import Options
from .store import Article, SqliteStore

logger = logging.getLogger(__name__)


def _log_skip(error: InputError) -> None:
    logger.warning("%s; skipped", error)


class Corpus:
    """A corpus in a SQLite file, created and brought up to date on open.

        with Corpus("news.db") as corpus:
            corpus.ingest(["crawl.warc.gz", "feeds/"], jobs=2)
            corpus.search("rebuild the pier")

    path (str or Path): the database file.
    options (Options): how articles are extracted; articles stored under other
        options (or another quotegraph or model version) are extracted again when ingested.
    """

    def __init__(self, path: str | Path = "quotegraph.db", *, options: Options | None = None) -> None:
        self.options = options or Options()
        self.store = SqliteStore(path)

    def ingest(self, paths: Sequence[str], *, jobs: int = 1, on_progress: OnProgress | None = None,
               on_skip: Callable[[InputError], None] = _log_skip, stdin: BinaryIO | None = None,
               batch: int = BATCH) -> IngestStats:
        """Add the articles of ``paths``: new ones are extracted, changed ones re-extracted, the rest skipped;
        then cluster the quotes and people again if anything changed (``recluster``).

        Safe to interrupt at any moment and run again. See ``quotegraph.ingest.run.ingest``.
        on_progress (callable): receives the live ``IngestStats`` a few times a second.
        on_skip (callable): receives the ``InputError`` of each input that cannot be read; by default logged.
        batch (int): the most articles one transaction writes; an interruption loses at most one batch's work.
        RETURNS (IngestStats): what was read, added, replaced, skipped and found.
        """
        stats = ingest(self.store, paths, jobs=jobs, options=self.options,
                       on_progress=on_progress or (lambda _: None), on_skip=on_skip, stdin=stdin, batch=batch)
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

    def search(self, text: str, *, limit: int = 20) -> list[dict[str, Any]]:
        """Quote occurrences holding every word of ``text`` (English word forms match), best first."""
        return self.store.search_quotes(text, limit=limit)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()
