"""The Spark commands of ``quotegraph``: ``spark extract``, ``spark cluster`` and ``load``.

Each parses its arguments and calls one job of ``quotegraph.spark``; pyspark
is imported only when a Spark command runs, so the rest of quotegraph works
without it. ``cli.main`` adds them to the group, whose error handling turns
quotegraph's errors (pyspark or Java missing, a path that does not exist)
into one ``Error: ...`` line.
"""
from __future__ import annotations

import time

import click

from .ingest.run import BATCH
from .options import DEFAULT_MODEL, corpus_options


def _master_option(command):  # type: ignore[no-untyped-def]
    return click.option(
        "--master", metavar="URL",
        help="Where Spark runs: local[N], spark://HOST:PORT, yarn...  [default: what spark-submit set, "
             "else local[*], bound to 127.0.0.1]")(command)


def _overwrite_option(command):  # type: ignore[no-untyped-def]
    return click.option("--overwrite", is_flag=True, help="Replace OUTPUT if it exists.")(command)


@click.group()
def spark() -> None:
    """Extract and cluster on Apache Spark, for corpora one machine cannot take.

    Needs pyspark and Java 17 or later: pip install 'quotegraph[spark]'.
    Paths are anything Spark reads and writes: local, hdfs://, s3a://.
    The same jobs run on a cluster through spark-submit (every worker needs
    quotegraph and its spaCy model installed):

    \b
      quotegraph spark extract crawl/ out/              articles -> Parquet
      quotegraph spark cluster out/ quotes/             the same quote across outlets
      quotegraph load out/ --clusters quotes/ --db news.db
      JOB=$(python -c 'import quotegraph.spark as s; print(s.__path__[0])')/__main__.py
      PYSPARK_PYTHON=$(which python) spark-submit --master yarn $JOB extract IN OUT
    """


@spark.command("extract")
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.argument("output", metavar="OUTPUT")
@click.option("--model", metavar="NAME",
              help=f"Installed spaCy pipeline to parse with  [default: $QUOTEGRAPH_MODEL or {DEFAULT_MODEL}]")
@click.option("--attributions", is_flag=True,
              help="Report every attribution relation, as PARC-style corpora annotate them, not only speech.")
@click.option("--partitions", type=click.IntRange(min=1), metavar="N",
              help="Tasks extraction is cut into  [default: two per core]")
@_master_option
@_overwrite_option
def extract_command(inputs: tuple[str, ...], output: str, model: str | None, attributions: bool,
                    partitions: int | None, master: str | None, overwrite: bool) -> None:
    """Extract the quotes and people of every article under INPUT, as Parquet datasets under OUTPUT.

    \b
    INPUT is a file or a folder (its files of these kinds, at any depth):
      *.jsonl, *.jsonl.gz   one article a line: {"text", "id"?, "url"?, "title"?,
                            "date"?, "outlet"?}
      *.parquet             the same fields as columns; Spark splits it by row group
      *.warc, *.warc.gz     a web crawl: each HTML response is an article
      *.html, *.htm, *.txt  one article
    Files other than Parquet are read whole, one task each, by the readers
    `quotegraph ingest` uses; cut very large JSONL into shards.

    \b
    OUTPUT gets four Parquet datasets:
      articles/     key (normalised URL, else text hash), url, title, outlet,
                    date, text, and number: the article's place in the input
      occurrences/  every quote: offsets, text, type, speaker, cue, channel,
                    confidence, evidence, and its article's key, date, outlet
      people/       every person each article resolves
      extractions/  the quotegraph, model and options that extracted them

    Extraction is quotegraph's own: each Python worker loads the model once
    and the results are those `quotegraph ingest` stores for the same input
    (a key met twice keeps its first article).
    """
    from .spark import extract, session

    options = corpus_options(attributions=attributions, **({"model": model} if model else {}))
    started = time.perf_counter()
    stats = extract.extract(session.session(master=master), inputs, output, options=options, overwrite=overwrite,
                            partitions=partitions)
    click.echo(f"Extracted {stats.articles:,} articles in {time.perf_counter() - started:.1f} s: "
               f"{stats.quotes:,} quotes, {stats.people:,} people; {stats.duplicates:,} duplicates left out.")
    if stats.skipped:
        click.echo(f"Could not read {stats.skipped:,} inputs (the Spark workers' logs say why).", err=True)
    click.echo(f"Wrote {output}/articles, occurrences, people, extractions.\n"
               f"Next: quotegraph spark cluster {output} QUOTES; quotegraph load {output} --db news.db")


@spark.command("cluster")
@click.argument("occurrences", metavar="OCCURRENCES")
@click.argument("output", metavar="OUTPUT")
@_master_option
@_overwrite_option
def cluster_command(occurrences: str, output: str, master: str | None, overwrite: bool) -> None:
    """Cluster quote occurrences across outlets into quotes, as one Parquet dataset at OUTPUT.

    OCCURRENCES is the output folder of `quotegraph spark extract` (or its
    occurrences/ dataset). Two occurrences are the same quote exactly when
    `quotegraph ingest` would cluster them together: the same normalisation,
    MinHash windows and bands, alignment thresholds and tie-breaking, with
    the banding, the confirmation and the connected components spread over
    Spark.

    OUTPUT holds one row per quote with the columns of `quotegraph export`
    (quoteID, quotation, speaker, probas, numOccurrences, date, urls,
    articles, outlets, type, altered) and occurrences: its occurrence keys.
    """
    from .spark import cluster, session

    started = time.perf_counter()
    count = cluster.cluster(session.session(master=master), occurrences, output, overwrite=overwrite)
    click.echo(f"Clustered into {count:,} quotes in {time.perf_counter() - started:.1f} s; wrote {output}.")


@click.command("load")
@click.argument("folder", metavar="PARQUET")
@click.option("--clusters", metavar="QUOTES", help="The output of `quotegraph spark cluster` over PARQUET.")
@click.option("--db", default="quotegraph.db", show_default=True, metavar="FILE|URL",
              help="The corpus: a SQLite file, created on first use, or a postgresql://user@host/database URL.")
@click.option("--batch", type=click.IntRange(min=1), default=BATCH, show_default=True, metavar="N",
              help="Articles written per transaction.")
def load_command(folder: str, clusters: str | None, db: str, batch: int) -> None:
    """Bring the output of `quotegraph spark extract` into a corpus database, so that search, quote,
    people, export and the web UI serve it.

    PARQUET is the extract's OUTPUT folder, on this machine (copy it from
    HDFS or S3 first). Articles the database already holds unchanged are
    skipped, so loading twice changes nothing. With --clusters, the quotes
    that `quotegraph spark cluster` found become the database's; without,
    the database clusters its whole corpus itself, as after an ingest. People
    are merged across articles either way. Needs pyarrow, not Spark.

    \b
      quotegraph load out/ --clusters quotes/ --db news.db
    """
    from .corpus import Corpus
    from .spark.load import load

    with Corpus(db) as corpus:
        stats = load(corpus, folder, clusters=clusters, batch=batch)
    click.echo(f"Read {stats.read:,} articles: {stats.written:,} written, {stats.unchanged:,} unchanged. "
               f"{db} holds {stats.quotes:,} quotes in {stats.clusters:,} distinct quotes.")


COMMANDS = (spark, load_command)
