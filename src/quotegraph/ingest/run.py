"""The ingest loop: read articles, skip what the store already holds, extract the rest, write in batches.

One process reads and writes, so the store has one writer; extraction runs
in-process (``jobs=1``) or in ``jobs`` worker processes with at most a few
chunks in flight, so however large the input, memory holds a bounded number
of articles. Results are written in input order.

Why a re-run after a kill ends in the same database as an uninterrupted run:
every batch is written in one transaction, so the database only ever holds
whole batches; an article is written in full or not at all. A re-run skips
each article whose stored revision (text hash, metadata, extraction version)
equals what it reads, and extracts and writes the rest in the same input
order, so it makes exactly the writes the interrupted run had left to make.
Within one run, the first record of a key is the article: a later record with
the same key is counted as a duplicate and left out, whether or not the first
has been committed yet, so which record wins never depends on where a run
was cut.
"""
from __future__ import annotations

import multiprocessing
import sqlite3
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any, BinaryIO

from ..errors import InputError
from ..model import ArticleResult
from ..options import Options, corpus_options
from ..pipeline import extract_many, parse_date_header
from ..readers import Record
from ..store.base import Article, Extraction, Store
from .identity import article_key, text_hash
from .sources import sources

CHUNK = 16            # articles a worker extracts at once: spaCy's batch
BATCH = 64            # articles one transaction writes at most
COMMIT_SECONDS = 2.0  # and at most this much extraction work waits for its transaction
REPORT_SECONDS = 0.1  # how often progress is reported
IN_FLIGHT = 2         # chunks queued per worker: enough to keep it busy, few enough to bound memory


@dataclass(slots=True)
class IngestStats:
    """How an ingest went: a live view while it runs, the summary when it ends.

    read: articles read from the input; each is then exactly one of added,
        replaced (its key held another revision), unchanged or duplicates
        (a key met earlier in this run).
    skipped: inputs that could not be read (each went to ``on_skip`` with why).
    quotes, people, chars: found in, and size of, the articles extracted.
    bytes_done, bytes_total: how far through the input files reading has got;
        ``bytes_total`` is None when the size is unknown (stdin).
    """

    read: int = 0
    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    duplicates: int = 0
    skipped: int = 0
    quotes: int = 0
    people: int = 0
    chars: int = 0
    bytes_done: int = 0
    bytes_total: int | None = None
    seconds: float = 0.0

    @property
    def extracted(self) -> int:
        return self.added + self.replaced

    @property
    def articles_per_second(self) -> float:
        return self.extracted / self.seconds if self.seconds else 0.0


OnProgress = Callable[[IngestStats], None]


def _ignore(_: Any) -> None:
    pass


def ingest(store: Store, paths: Sequence[str], *, jobs: int = 1, options: Options | None = None,
           on_progress: OnProgress = _ignore, on_skip: Callable[[InputError], None] = _ignore,
           stdin: BinaryIO | None = None, batch: int = BATCH, sample: bool = False) -> IngestStats:
    """Bring the articles of ``paths`` into ``store``, extracting those it lacks or holds in another revision.

    paths: files and folders in any format of ``sources.FORMATS``, or ``-`` for ``stdin``.
    jobs (int): extraction processes; 1 extracts in this process.
    on_progress (callable): called with the live ``IngestStats`` every ``REPORT_SECONDS`` and at the end.
    on_skip (callable): receives the ``InputError`` of each input that cannot be read; reading goes on.
    batch (int): the most articles one transaction writes.
    sample (bool): ingest the sample articles bundled with quotegraph instead of ``paths``.
    RETURNS (IngestStats): the summary.
    Raises ``InputError`` when the input holds no readable article or a path is missing.
    """
    options = options or corpus_options()
    extraction = Extraction.of(options)
    stats = IngestStats()
    start = last_report = last_commit = time.perf_counter()

    def skip(error: InputError) -> None:
        stats.skipped += 1
        on_skip(error)

    inputs = sources(paths, on_skip=skip, stdin=stdin, sample=sample)

    def report(*, final: bool = False) -> None:
        nonlocal last_report
        now = time.perf_counter()
        if final or now - last_report >= REPORT_SECONDS:
            last_report = now
            stats.seconds, stats.bytes_done, stats.bytes_total = now - start, inputs.done, inputs.total
            on_progress(stats)

    def to_extract() -> Iterator[tuple[Article, bool]]:
        """The articles to extract, in input order, each with whether its key is new to the store."""
        seen = _Seen()
        try:
            for record in inputs:
                stats.read += 1
                article = _article(record, extraction.version)
                if not seen.add(article.key):
                    stats.duplicates += 1
                elif (stored := store.revision(article.key)) == article.revision:
                    stats.unchanged += 1
                else:
                    yield article, stored is None
                report()
        finally:
            seen.close()

    pending: list[tuple[Article, ArticleResult]] = []
    # A chunk no larger than a batch, so that no transaction waits on more work than it holds.
    for chunk, results in _extracted(_chunks(to_extract(), min(CHUNK, batch)), jobs, options):
        for (article, new), result in zip(chunk, results, strict=True):
            pending.append((article, result))
            stats.added += new
            stats.replaced += not new
            stats.quotes += len(result.quotes)
            stats.people += len(result.people)
            stats.chars += len(article.text)
        if len(pending) >= batch or time.perf_counter() - last_commit >= COMMIT_SECONDS:
            store.write(pending, extraction)
            pending, last_commit = [], time.perf_counter()
        report()
    if pending:
        store.write(pending, extraction)
    report(final=True)
    return stats


def _field(record: Record, name: str) -> str | None:
    value = record.get(name)
    return None if value is None or value == "" else str(value)


def _article(record: Record, extraction: str) -> Article:
    """The article a record holds; its date is the record's, else its text's ``date`` header."""
    text = record["text"]
    digest = text_hash(text)
    return Article(
        key=article_key(_field(record, "url"), digest), text=text, text_hash=digest, extraction=extraction,
        source_id=_field(record, "id"), url=_field(record, "url"), title=_field(record, "title"),
        outlet=_field(record, "outlet"), date=_field(record, "date") or parse_date_header(text)[0],
    )


class _Seen:
    """The keys met in this run, kept on disk (SQLite's private temporary database), not in memory."""

    def __init__(self) -> None:
        self.db = sqlite3.connect("")
        self.db.execute("CREATE TABLE seen (key TEXT PRIMARY KEY) WITHOUT ROWID")

    def add(self, key: str) -> bool:
        """Remember ``key``; False when it was met before."""
        return self.db.execute("INSERT OR IGNORE INTO seen VALUES (?)", (key,)).rowcount == 1

    def close(self) -> None:
        self.db.close()


def _chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    """Consecutive lists of ``size`` items (the last may be shorter), drawn lazily."""
    rest = iter(items)
    return iter(lambda: list(islice(rest, size)), [])


def _extract_chunk(records: list[dict[str, Any]], options: Options) -> list[ArticleResult]:
    return list(extract_many(records, options=options, batch_size=len(records)))


def _extracted(chunks: Iterator[list[tuple[Article, bool]]], jobs: int,
               options: Options) -> Iterator[tuple[list[tuple[Article, bool]], list[ArticleResult]]]:
    """Each chunk with its results, in order; with ``jobs > 1`` at most ``IN_FLIGHT * jobs`` chunks wait.

    Chunks are submitted one by one rather than through ``Pool.imap``, whose
    feeder thread would drain the whole input into the task queue.
    """
    def records(chunk: list[tuple[Article, bool]]) -> list[dict[str, Any]]:
        return [{"text": a.text, "id": a.source_id, "date": a.date} for a, _ in chunk]

    if jobs <= 1:
        for chunk in chunks:
            yield chunk, _extract_chunk(records(chunk), options)
        return
    with multiprocessing.get_context("spawn").Pool(jobs) as pool:
        waiting: deque[tuple[list[tuple[Article, bool]], Any]] = deque()
        for chunk in chunks:
            waiting.append((chunk, pool.apply_async(_extract_chunk, (records(chunk), options))))
            if len(waiting) >= IN_FLIGHT * jobs:
                done, result = waiting.popleft()
                yield done, result.get()
        while waiting:
            done, result = waiting.popleft()
            yield done, result.get()
