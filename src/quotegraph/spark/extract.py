"""``quotegraph spark extract``: articles in, Parquet of articles, quote occurrences and people out.

The job, stage by stage:

1. read the records under the input paths (``inputs.records``), each with its ordinal;
2. know each article as a local ingest does (``ingest.run.record_article``: the
   normalised URL, else the text's hash) and keep the first record of each key;
3. number the articles in input order and spread them over the cluster;
4. extract, a partition at a time, with ``quotegraph.extract_many``, the local path's
   own code: each Python worker loads the spaCy model once (``nlp.load`` caches it
   for the worker's life, and Spark reuses workers) and parses ``CHUNK`` articles
   per batch, as ``quotegraph ingest`` does;
5. write the datasets of ``quotegraph.spark.datasets``.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING, Any

from ..errors import InputError, Messages
from ..ingest.run import CHUNK, record_article
from ..model import ArticleResult
from ..options import Options, corpus_options
from ..pipeline import extract_many
from ..store.base import Article, Extraction
from . import datasets
from .inputs import records
from .output import dataset, prepare, write

if TYPE_CHECKING:
    from pyspark.sql import SparkSession


# Extraction tasks per core: more than one, so that a slow task (long articles) leaves no core idle for long.
TASKS_PER_CORE = 2


@dataclass(frozen=True, slots=True)
class ExtractStats:
    """What one extract job did: articles written, records left out, quotes and people found."""

    articles: int
    duplicates: int
    skipped: int
    quotes: int
    people: int


def _first(a: tuple[Any, Article], b: tuple[Any, Article]) -> tuple[Any, Article]:
    return a if a[0] <= b[0] else b


def extract_partition(articles: Iterable[tuple[Article, int]],
                      options: Options) -> Iterator[tuple[int, Article, ArticleResult]]:
    """Extract a partition's ``(article, number)`` pairs, ``CHUNK`` at a time, as ingest does."""
    rest = iter(articles)
    while chunk := list(islice(rest, CHUNK)):
        found = extract_many([{"text": a.text, "id": a.source_id, "date": a.date} for a, _ in chunk],
                             options=options, batch_size=len(chunk))
        for (article, number), result in zip(chunk, found, strict=True):
            yield number, article, result


def extract(spark: SparkSession, paths: Sequence[str], output: str, *, options: Options | None = None,
            overwrite: bool = False, partitions: int | None = None) -> ExtractStats:
    """Extract every article under ``paths`` and write the datasets of ``datasets`` under ``output``.

    paths: files or folders, local or any URI Spark reads (``hdfs://``, ``s3a://``).
    options (Options): by default ``corpus_options()``, as ``quotegraph ingest`` extracts.
    partitions (int): how many tasks extraction is cut into; by default ``TASKS_PER_CORE`` a core.
    RETURNS (ExtractStats): counts.
    Raises ``InputError`` when a path is missing (E010) or holds no readable article (E018), and
    ``QueryError`` (E083) when ``output`` exists and ``overwrite`` is off.
    """
    options = options or corpus_options()
    extraction = Extraction.of(options)
    prepare(spark, output, overwrite=overwrite)
    sc = spark.sparkContext
    skipped = sc.accumulator(0)
    version = extraction.version
    read = records(spark, paths, skipped).map(lambda item: (item[0], record_article(item[1], version))).persist()
    firsts = read.map(lambda item: (item[1].key, item)).reduceByKey(_first).values()
    numbered = firsts.sortBy(lambda item: item[0]).map(lambda item: item[1]).zipWithIndex()
    found = (numbered.repartition(partitions or sc.defaultParallelism * TASKS_PER_CORE)
             .mapPartitions(lambda part: extract_partition(part, options))
             .persist())
    try:
        articles = found.count()
        total = read.count()
        if not articles:
            raise InputError(Messages.E018.format(skipped=skipped.value))
        for name, schema, rows in (
                ("articles", datasets.ARTICLES, found.map(lambda f: datasets.article_row(*f[:2]))),
                ("occurrences", datasets.OCCURRENCES, found.flatMap(lambda f: datasets.occurrence_rows(*f))),
                ("people", datasets.PEOPLE, found.flatMap(lambda f: datasets.person_rows(*f))),
                ("extractions", datasets.EXTRACTIONS, sc.parallelize([datasets.extraction_row(extraction)], 1))):
            write(spark, rows, schema, dataset(output, name))
        quotes = found.map(lambda f: len(f[2].quotes)).sum()
        people = found.map(lambda f: len(f[2].people)).sum()
    finally:
        found.unpersist()
        read.unpersist()
    return ExtractStats(articles=articles, duplicates=total - articles, skipped=skipped.value,
                        quotes=int(quotes), people=int(people))
