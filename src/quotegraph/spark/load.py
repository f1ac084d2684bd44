"""``quotegraph load``: bring what the Spark jobs wrote into a corpus store, so the query commands and
the web UI can serve it.

Only pyarrow is needed: the datasets (``quotegraph.spark.datasets``) are
streamed part file by part file, in the order Spark wrote them (by article
number), and written through the ``Store`` protocol in transactions of
``BATCH`` articles, as ingest writes. An article the store already holds in
the same revision is left alone, so loading the same output twice changes
nothing, and loading a newer extract replaces what changed.

With ``clusters``, the quotes ``quotegraph spark cluster`` found become the
store's clusters, each described anew by ``quotes.build_cluster`` from the
stored occurrences; without, the store clusters its whole corpus itself, as
after an ingest. People are merged across articles either way.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..cluster import Occurrence, PersonRecord, merge_people
from ..cluster.quotes import QuoteCluster, build_cluster
from ..cluster.same_quote import words
from ..errors import InputError, Messages, QueryError
from ..ingest.run import BATCH
from ..model import ArticleResult
from ..readers import check_paths
from ..store.base import Article, Extraction
from . import datasets

if TYPE_CHECKING:
    from ..corpus import Corpus

ROWS = 4096  # rows read from Parquet at a time


@dataclass(slots=True)
class LoadStats:
    """What a load did: articles read, written (new or changed) and unchanged; quotes and clusters stored."""

    read: int = 0
    written: int = 0
    unchanged: int = 0
    quotes: int = 0
    clusters: int = 0


def _parts(folder: Path, name: str, command: str) -> list[Path]:
    """The Parquet part files of ``folder/name``, in the order Spark wrote them; E082 when there are none."""
    files = sorted((folder / name).glob("*.parquet")) if (folder / name).is_dir() else []
    if not files:
        raise InputError(Messages.E082.format(where=folder, name=name, command=command))
    return files


def dataset_rows(folder: Path) -> Iterator[dict[str, Any]]:
    """The rows of a Parquet dataset folder a Spark job wrote, in the order it wrote them."""
    return _rows(sorted(folder.glob("*.parquet")))


def _rows(files: list[Path]) -> Iterator[dict[str, Any]]:
    try:
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise QueryError(Messages.E055) from exc
    for file in files:
        for batch in pq.ParquetFile(file).iter_batches(batch_size=ROWS):
            yield from batch.to_pylist()


class _ByNumber:
    """The rows of one dataset grouped by article number, taken in step with the articles."""

    def __init__(self, rows: Iterator[dict[str, Any]]) -> None:
        self.groups = groupby(rows, key=lambda r: r["number"])
        self.ahead: tuple[int, list[dict[str, Any]]] | None = None

    def take(self, number: int) -> list[dict[str, Any]]:
        while self.ahead is None or self.ahead[0] < number:
            found = next(self.groups, None)
            if found is None:
                return []
            self.ahead = (found[0], list(found[1]))
        return self.ahead[1] if self.ahead[0] == number else []


def _articles(folder: Path) -> Iterator[tuple[int, Article, ArticleResult]]:
    """Every article of an extract output with its results, by number."""
    command = f"extract INPUT {folder}"
    quotes = _ByNumber(_rows(_parts(folder, "occurrences", command)))
    people = _ByNumber(_rows(_parts(folder, "people", command)))
    for row in _rows(_parts(folder, "articles", command)):
        article = datasets.article_of(row)
        number = row["number"]
        yield number, article, datasets.result_of(article, quotes.take(number), people.take(number))


def load(corpus: Corpus, folder: str | Path, *, clusters: str | Path | None = None,
         batch: int = BATCH) -> LoadStats:
    """Store the articles, quotes and people of a ``quotegraph spark extract`` output in ``corpus``,
    then its clusters: those of ``clusters`` (a ``quotegraph spark cluster`` output), else its own.

    RETURNS (LoadStats): counts.
    Raises ``InputError`` for a missing path (E010), a folder that is no such output (E082), or
    clusters that do not fit what the store holds (E084, E085).
    """
    folder = Path(folder)
    check_paths([str(folder)] + ([str(clusters)] if clusters else []))
    versions = {row["version"]: Extraction(row["quotegraph"], row["model"], row["options"])
                for row in _rows(_parts(folder, "extractions", f"extract INPUT {folder}"))}
    cluster_files = sorted(Path(clusters).glob("*.parquet")) if clusters else []
    if clusters and not cluster_files:
        raise InputError(Messages.E082.format(where=clusters, name="quotes", command=f"cluster {folder} OUTPUT"))
    store = corpus.store
    stats = LoadStats()
    articles: dict[int, str] = {}
    pending: dict[str, list[tuple[Article, ArticleResult]]] = defaultdict(list)

    def flush() -> None:
        for version, items in pending.items():
            store.write(items, versions[version])
        pending.clear()

    for number, article, result in _articles(folder):
        stats.read += 1
        articles[number] = article.key
        if store.revision(article.key) == article.revision:
            stats.unchanged += 1
            continue
        pending[article.extraction].append((article, result))
        stats.written += 1
        if sum(map(len, pending.values())) >= batch:
            flush()
    flush()
    if clusters:
        found = _clusters(corpus, cluster_files, articles)
        store.replace_clusters(found, merge_people(PersonRecord(**r) for r in store.person_records()))
    elif store.clusters_stale():
        corpus.recluster()
    counts = store.counts()
    stats.quotes, stats.clusters = counts["quotes"], counts["clusters"]
    return stats


def _clusters(corpus: Corpus, files: list[Path], articles: dict[int, str]) -> list[QuoteCluster]:
    """The clusters of a ``quotegraph spark cluster`` output over the store's occurrence keys.

    A Spark occurrence key names an article number and a place in its result; the store
    keeps each result's quotes in order, so the n-th stored occurrence of an article is its
    n-th quote.
    """
    by_place: dict[tuple[str, int], Occurrence] = {}
    rows = sorted(corpus.store.occurrences(), key=lambda r: (r["article"], r["key"]))
    for article, group in groupby(rows, key=lambda r: r["article"]):
        for position, row in enumerate(group):
            by_place[article, position] = Occurrence(**row)
    found, covered = [], 0
    for row in _rows(files):
        members = []
        for key in row["occurrences"]:
            number, position = divmod(key, datasets.KEY_STRIDE)
            occurrence = by_place.get((articles.get(number, ""), position))
            if occurrence is None:
                raise InputError(Messages.E085.format(key=key, where=corpus.where))
            members.append(occurrence)
        members.sort(key=lambda o: o.key)
        found.append(build_cluster(members, {o.key: words(o.text) for o in members}))
        covered += len(members)
    if covered != len(by_place):
        raise InputError(Messages.E084.format(where=corpus.where, count=len(by_place) - covered))
    return found
