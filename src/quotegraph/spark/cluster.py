"""``quotegraph spark cluster``: the corpus's quote clustering (``quotegraph.cluster.cluster_quotes``) in Spark.

The same quote is what ``quotegraph.cluster.same_quote`` says it is, and the
clusters come out as ``cluster_quotes`` makes them over the whole corpus: the
job runs its three passes, spreading each over the cluster, with the same
normalisation, MinHash windows, banding, bucket guard, thresholds and
tie-breaking by key.

1. Quoted occurrences of ``MIN_WORDS`` words or more. Each window's band keys
   (``candidates.band_keys``) make buckets, grouped by Spark; a bucket pairs its
   members as ``candidates.pairs`` does (every pair, or only near neighbours in
   rank order in a bucket over ``MAX_BUCKET``). ``same_quote.match`` confirms
   pairs, connected components of the confirmed pairs are found by min-label
   propagation, and each component is clustered by ``cluster_quotes`` itself,
   given the component's candidate pairs. Two occurrences only ever join when a
   confirmed pair links them, so no cluster spans two components, and within
   one the decisions depend only on its own members and pairs: each component
   comes out as within the whole.
2. Shorter quoted fragments: every run of words of every long quote, of the
   lengths fragments have, is joined with the fragments' words. A fragment
   joins the one cluster holding its words, none when several do; identical
   fragments of ``REPEATED_WORDS`` words or more go together.
3. Indirect reports: the words of each cluster's longest quote, less the words
   in more than ``MAX_POSTINGS`` clusters, are joined with the reports' words;
   a report sharing ``PARAPHRASE_WORDS`` of them with a cluster is scored by
   ``same_quote.paraphrase_score`` and joins the one cluster it paraphrases best.

Then the occurrences are grouped by cluster and each cluster is described by
``quotes.build_cluster`` (canonical form, variants, speaker vote), the local
code, and written one row per quote with ``quotegraph export``'s columns.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from operator import add
from typing import TYPE_CHECKING, Any

from ..cluster import Occurrence
from ..cluster.candidates import MAX_BUCKET, NEIGHBOURS, band_keys, window_signatures
from ..cluster.quotes import MAX_POSTINGS, REPEATED_WORDS, TIE, build_cluster, cluster_quotes
from ..cluster.same_quote import (
    BANDS,
    MIN_WORDS,
    PARAPHRASE_WORDS,
    content,
    fragments,
    match,
    paraphrase_score,
    words,
)
from ..errors import InputError, Messages
from ..readers import check_paths
from . import datasets
from .output import dataset, prepare, write

if TYPE_CHECKING:
    from pyspark import RDD
    from pyspark.sql import SparkSession

LONG, SHORT, REPORT, EMPTY = range(4)
Norms = tuple[str, ...]


def _parsed(o: Occurrence) -> tuple[int, tuple[int, Norms]]:
    """An occurrence's key, with which pass takes it and its normalised words."""
    norms = tuple(w.norm for w in words(o.text))
    if not norms:
        kind = EMPTY
    elif o.type == "indirect":
        kind = REPORT
    else:
        kind = LONG if len(norms) >= MIN_WORDS else SHORT
    return o.key, (kind, norms)


# -- pass 1 ------------------------------------------------------------------------------

def _bucket_entries(item: tuple[int, Norms]) -> Iterator[tuple[tuple[int, int], tuple[int, int]]]:
    """((band, bucket key), rank) for every bucket a long quote's windows fall in; rank is (-words, key)."""
    key, norms = item
    keys = band_keys(window_signatures(norms))
    for band in range(BANDS):
        for bucket in set(keys[:, band].tolist()):
            yield (band, bucket), (-len(norms), key)


def _bucket_pairs(ranks: Iterable[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """(earlier, later) key pairs of one bucket, as ``candidates._band_pairs`` pairs its members."""
    members = sorted(set(ranks))
    reach = len(members) - 1 if len(members) <= MAX_BUCKET else NEIGHBOURS
    for i, later in enumerate(members):
        for earlier in members[max(0, i - reach):i]:
            yield earlier[1], later[1]


def components(spark: SparkSession, edges: RDD) -> RDD:
    """Connected components of an undirected graph: ``(vertex, smallest vertex of its component)``.

    edges: ``(a, b)`` pairs of integers; only vertices with an edge are returned. Each
    round, every vertex takes the smallest label among its own and its neighbours'; it
    ends when no label changes, after as many rounds as the widest component's diameter.
    The rounds run in Spark SQL, without Python workers; each is checkpointed, so the
    plan does not grow with the rounds, and costs two jobs.
    """
    from pyspark.sql import functions as F

    pairs = spark.createDataFrame(edges, "a BIGINT, b BIGINT")
    adjacent = pairs.union(pairs.select("b", "a")).distinct().cache()
    labels = adjacent.select(F.col("a").alias("v")).distinct().withColumn("label", F.col("v")).cache()
    total = labels.agg(F.sum("label")).first()[0]
    while total is not None:
        offered = adjacent.join(labels, adjacent.a == labels.v).select(adjacent.b.alias("v"), labels.label)
        updated = labels.union(offered).groupBy("v").agg(F.min("label").alias("label")).localCheckpoint()
        # Labels only ever fall, so they changed exactly when their sum did.
        lower = updated.agg(F.sum("label")).first()[0]
        labels.unpersist()
        labels = updated
        if lower == total:
            break
        total = lower
    return labels.rdd.map(tuple)


def _cluster_component(item: tuple[int, tuple[Iterable[Occurrence], Iterable[tuple[int, int]]]]
                       ) -> Iterator[tuple[int, int]]:
    """(key, cluster label) for each long quote of one component, clustered by ``cluster_quotes``."""
    _, (occurrences, pairs) = item
    near: dict[int, list[int]] = defaultdict(list)
    for earlier, later in pairs:
        near[later].append(earlier)
    for cluster in cluster_quotes(occurrences, near=near):
        for key in cluster.members:
            yield key, cluster.members[0]


def _pass_one(spark: SparkSession, occurrences: RDD, long: RDD, n: int) -> RDD:
    """``(key, label)`` of every long quote: its pass-1 cluster's smallest key."""
    candidates = long.flatMap(_bucket_entries).groupByKey(n).flatMap(lambda b: _bucket_pairs(b[1])).distinct(n)
    candidates.persist()
    confirmed = (candidates.join(long, n)  # (earlier, (later, its words))
                 .map(lambda item: (item[1][0], (item[0], item[1][1])))
                 .join(long, n)  # (later, ((earlier, words), words))
                 .filter(lambda item: match(item[1][1], item[1][0][1]) is not None)
                 .map(lambda item: (item[1][0][0], item[0])))
    parts = components(spark, confirmed)
    members = parts.join(occurrences, n).map(lambda item: item[1])  # (component, Occurrence)
    pairs = (candidates.join(parts, n)  # (earlier, (later, component))
             .map(lambda item: (item[1][0], (item[0], item[1][1])))
             .join(parts, n)  # (later, ((earlier, c), c))
             .filter(lambda item: item[1][0][1] == item[1][1])
             .map(lambda item: (item[1][1], (item[1][0][0], item[0]))))
    clustered = members.cogroup(pairs, n).flatMap(_cluster_component)
    alone = long.keys().map(lambda k: (k, k)).subtractByKey(clustered, n)
    result = clustered.union(alone).persist()
    candidates.unpersist()
    return result


# -- runs of words held by clusters (passes 2 and 3) -----------------------------------

def _runs(item: tuple[int, tuple[Norms, int]], lengths: list[int]) -> Iterator[tuple[str, int]]:
    _, (norms, label) = item
    for n in lengths:
        for start in range(len(norms) - n + 1):
            yield " ".join(norms[start:start + n]), label


def _holders(pool: RDD, wanted: RDD, n: int) -> RDD:
    """``(run, labels)``: for each wanted run of words (joined by spaces) that some quote of
    ``pool`` (``(key, (words, label))``) holds, the set of clusters holding it (``quotes._holders``)."""
    lengths = sorted(wanted.map(lambda run: run.count(" ") + 1).distinct(n).collect())
    return (pool.flatMap(lambda item: _runs(item, lengths)).distinct(n)
            .join(wanted.map(lambda run: (run, None))).map(lambda item: (item[0], item[1][0]))
            .groupByKey(n).mapValues(set))


# -- pass 2 ------------------------------------------------------------------------------

def _pass_two(short: RDD, labelled: RDD, n: int) -> RDD:
    """``(key, label)`` of every fragment: the one cluster holding its words, else its identical
    repeats' (from ``REPEATED_WORDS`` words), else its own key."""
    fragments = short.map(lambda item: (" ".join(item[1]), (item[0], len(item[1])))).persist()
    hits = (_holders(labelled, fragments.keys().distinct(n), n)
            .flatMap(lambda item: [(item[0], *item[1])] if len(item[1]) == 1 else []))
    repeats = (fragments.filter(lambda item: item[1][1] >= REPEATED_WORDS)
               .map(lambda item: (item[0], item[1][0])).reduceByKey(min, n))

    def label(item: tuple[str, tuple[tuple[tuple[int, int], int | None], int | None]]) -> tuple[int, int]:
        _, (((key, _), hit), first) = item
        return key, hit if hit is not None else first if first is not None else key

    return fragments.leftOuterJoin(hits, n).leftOuterJoin(repeats, n).map(label)


# -- pass 3 ------------------------------------------------------------------------------

def _given(text: str) -> list[str]:
    """The runs of words an indirect report gives in quotation marks (more than one word each)."""
    return [" ".join(f) for f in fragments(text) if len(f) > 1]


def _one_holder(item: tuple[int, Iterable[set[int] | None]]) -> list[tuple[int, int]]:
    """The report's cluster when every fragment it gives is held by that one cluster, and only by it."""
    key, found = item
    held = list(found)
    if all(h is not None and len(h) == 1 for h in held) and len(holding := set.union(*held)) == 1:
        return [(key, next(iter(holding)))]
    return []


def _by_fragments(reports: RDD, pool: RDD, longest: RDD, n: int) -> RDD:
    """``(key, label)`` of the reports that join a cluster by the fragments they quote."""
    given = reports.mapValues(lambda value: _given(value[1])).filter(lambda item: item[1]).persist()
    holders = _holders(pool, given.flatMap(lambda item: item[1]).distinct(n), n)
    held = (given.flatMap(lambda item: ((run, item[0]) for run in item[1])).leftOuterJoin(holders, n)
            .map(lambda item: item[1]).groupByKey(n).flatMap(_one_holder))  # (report, label)

    def enough(item: tuple[int, tuple[tuple[int, tuple[Norms, str]], tuple[Any, Norms]]]) -> bool:
        # Short fragments are common phrases: they count only with content words in common too.
        (_, (norms, text)), (_, longest_words) = item[1]
        return (sum(run.count(" ") + 1 for run in _given(text)) >= REPEATED_WORDS
                or len(content(norms) & content(longest_words)) >= PARAPHRASE_WORDS)

    return (held.join(reports, n).map(lambda item: (item[1][0], (item[0], item[1][1])))
            .join(longest, n).filter(enough).map(lambda item: (item[1][0][0], item[0])))


def _best(item: tuple[int, Iterable[tuple[float, int]]]) -> list[tuple[int, int]]:
    """The report's one best cluster, or none when the best score is 0 or tied."""
    key, scored = item
    ranked = sorted(scored, key=lambda s: (-s[0], s[1]))
    if ranked[0][0] > 0 and (len(ranked) == 1 or ranked[1][0] < ranked[0][0] - TIE):
        return [(key, ranked[0][1])]
    return []


def _by_paraphrase(reports: RDD, longest: RDD, n: int) -> RDD:
    """``(key, label)`` of the reports that paraphrase one cluster's longest quote best."""
    quoted = longest.filter(lambda item: item[1][0][0] == 0).mapValues(lambda value: value[1]).persist()
    postings = (quoted.flatMap(lambda item: ((w, item[0]) for w in content(item[1]))).groupByKey(n)
                .filter(lambda item: len(item[1]) <= MAX_POSTINGS).flatMapValues(lambda labels: labels))
    shared = (reports.flatMap(lambda item: ((w, item[0]) for w in content(item[1][0]))).join(postings, n)
              .map(lambda item: (item[1], 1)).reduceByKey(add, n)
              .filter(lambda item: item[1] >= PARAPHRASE_WORDS).keys())  # (report, label)
    scored = (shared.join(reports, n)  # (report, (label, (words, text)))
              .map(lambda item: (item[1][0], (item[0], item[1][1][0])))
              .join(quoted, n)  # (label, ((report, words), words))
              .map(lambda item: (item[1][0][0], (paraphrase_score(item[1][0][1], item[1][1]), item[0]))))
    return scored.groupByKey(n).flatMap(_best)


def _pass_three(reports: RDD, pool: RDD, n: int) -> RDD:
    """``(key, label)`` of every report that joins a cluster (``quotes._link_reports``).

    reports: ``(key, (words, text))``; pool: every quoted occurrence, long and short, as
    ``(key, (words, label))`` after pass 2. A cluster's longest quote is its first in the
    processing order: its longest long quote, else its first fragment by key.
    """
    longest = (pool.map(lambda item: (item[1][1], ((0, -len(item[1][0]), item[0]) if len(item[1][0]) >= MIN_WORDS
                                                   else (1, 0, item[0]), item[1][0])))
               .reduceByKey(min, n).persist())  # (label, (rank, words))
    by_fragments = _by_fragments(reports, pool, longest, n).persist()
    rest = reports.subtractByKey(by_fragments, n)
    return by_fragments.union(_by_paraphrase(rest, longest, n))


# -- the quotes --------------------------------------------------------------------------

def quote_row(members: Iterable[tuple[Occurrence, str | None]]) -> tuple[Any, ...]:
    """One quote as a row of ``datasets.CLUSTERS``: ``quotegraph export``'s columns and its occurrence keys."""
    urls = {o.key: url for o, url in members}
    occurrences = sorted((o for o, _ in members), key=lambda o: o.key)
    cluster = build_cluster(occurrences, {o.key: words(o.text) for o in occurrences})
    canonical = next(o for o in occurrences if o.key == cluster.canonical)
    by_date = sorted(occurrences, key=lambda o: (o.date is None, o.date or "", o.key))
    return (cluster.members[0], canonical.text, cluster.speaker, list(cluster.speakers), len(occurrences),
            by_date[0].date, list(dict.fromkeys(urls[o.key] for o in by_date if urls[o.key])),
            list(dict.fromkeys(o.article for o in by_date)), sorted({o.outlet for o in occurrences if o.outlet}),
            canonical.type, cluster.altered, list(cluster.members))


def cluster(spark: SparkSession, occurrences: str, output: str, *, overwrite: bool = False) -> int:
    """Cluster the ``occurrences/`` of ``quotegraph spark extract`` into quotes: a Parquet dataset at ``output``.

    occurrences: the dataset's path, or the extract's OUTPUT folder holding it.
    RETURNS (int): how many quotes were written.
    Raises ``InputError`` when the path is missing (E010), holds no occurrence dataset (E082),
    or ``output`` exists and ``overwrite`` is off (E083).
    """
    frame = _occurrence_frame(spark, occurrences)
    prepare(spark, output, overwrite=overwrite)
    # Every shuffle gets this many partitions: a union of RDDs adds up theirs, and joins would inherit the sum.
    n = max(spark.sparkContext.defaultParallelism, frame.rdd.getNumPartitions())
    rows = frame.rdd.map(lambda r: (datasets.occurrence_of(r.asDict()), r["url"])).persist()
    occs = rows.map(lambda item: (item[0].key, item[0]))
    parsed = rows.map(lambda item: _parsed(item[0])).persist()

    def only(kind: int) -> RDD:
        return parsed.filter(lambda item: item[1][0] == kind).mapValues(lambda value: value[1])

    long = only(LONG).persist()
    first = _pass_one(spark, occs, long, n)
    labelled = long.join(first, n).persist()  # (key, (words, label))
    short = only(SHORT)
    second = _pass_two(short, labelled, n).persist()
    pool = labelled.union(short.join(second, n))
    reports = only(REPORT).join(occs, n).mapValues(lambda value: (value[0], value[1].text))
    joined = first.union(second).union(_pass_three(reports, pool, n))
    everyone = occs.keys().map(lambda k: (k, k)).subtractByKey(joined, n).union(joined)
    quotes = (everyone.join(rows.map(lambda item: (item[0].key, item)), n)  # (key, (label, (occ, url)))
              .map(lambda item: item[1]).groupByKey(n).map(lambda item: quote_row(list(item[1]))))
    write(spark, quotes, datasets.CLUSTERS, output)
    count = spark.read.parquet(output).count()
    for cached in (rows, parsed, long, first, labelled, second):
        cached.unpersist()
    return count


def _occurrence_frame(spark: SparkSession, path: str) -> Any:
    """The occurrences dataset at ``path``, or at ``path/occurrences`` (an extract's OUTPUT folder)."""
    from pyspark.errors import AnalysisException

    check_paths([path] if "://" not in path else [])
    for candidate in (dataset(path, "occurrences"), path):
        try:
            frame = spark.read.parquet(candidate)
        except AnalysisException:  # no Parquet here
            continue
        if {"key", "quotation", "url"} <= set(frame.columns):
            return frame
    raise InputError(Messages.E082.format(where=path, name="occurrences", command="extract INPUT OUTPUT"))
