"""The ``quotegraph`` command: read articles, call the library, print the results.

Commands only parse arguments, read input (``readers``) and call the library;
no extraction logic lives here. Every error a user can cause ends in one
``Error: ...`` line on stderr and a non-zero exit status, never a traceback.
"""
from __future__ import annotations

import dataclasses
import json
import os
import sys
import textwrap
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from itertools import chain, islice
from pathlib import Path
from typing import Any

import click

from . import __version__, readers
from .corpus_cli import COMMANDS
from .errors import InputError, Messages, QuotegraphError
from .ingest import IngestStats
from .ingest.run import BATCH
from .model import ArticleResult
from .options import DEFAULT_MODEL, Options, corpus_options
from .pipeline import extract_many
from .serve_cli import serve
from .spark_cli import COMMANDS as SPARK_COMMANDS

FORMATS = ("table", "json", "jsonl")
# Skipped inputs are reported one by one up to this many, then only counted,
# so a corpus with a systematic fault cannot flood the terminal.
MAX_WARNINGS = 20


class QuotegraphGroup(click.Group):
    """Turns quotegraph's own errors into click's one-line ``Error: ...`` and exit status 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except QuotegraphError as exc:
            raise click.ClickException(str(exc)) from None
        except BrokenPipeError:
            # The reader of stdout has gone (``| head``): stop quietly, and point
            # stdout at /dev/null so that Python's final flush does not complain.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(1)


@click.group(cls=QuotegraphGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="quotegraph", message="%(prog)s %(version)s")
def main() -> None:
    """Find the quotations in news articles and who said them.

    \b
      quotegraph extract --sample                    the bundled sample articles
      quotegraph extract article.txt                 one article
      quotegraph extract corpus/ --format jsonl > quotes.jsonl
      quotegraph eval gold.jsonl                     score against annotations
      quotegraph ingest crawl.warc.gz --db news.db   build a corpus database
      quotegraph ingest --sample --db sample.db      ... of the sample articles
      quotegraph search "back down" --db sample.db   quotes by their words
      quotegraph quote 12 --db sample.db             one quote across outlets
      quotegraph people --db sample.db               the most quoted
      quotegraph person Marchbank --db sample.db     one person
      quotegraph stats --db sample.db                totals, gender shares
      quotegraph export -o quotes.csv --format csv   one row per quote
      quotegraph spark extract crawl/ out/           the same on Apache Spark
      quotegraph serve --db sample.db                web UI and API at http://127.0.0.1:8000
    """


def _model_option(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--model", metavar="NAME",
        help=f"Installed spaCy pipeline to parse with  [default: $QUOTEGRAPH_MODEL or {DEFAULT_MODEL}]",
    )(command)


def _jobs_option(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--jobs", "-j", type=click.IntRange(min=1), default=1, show_default=True,
                        metavar="N", help="Worker processes.")(command)


def _attributions_option(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--attributions", is_flag=True,
        help="Report every attribution relation (beliefs, intentions, stances, evidence), "
             "as PARC-style corpora annotate them, not only speech.")(command)


def _settings(model: str | None, attributions: bool = False) -> dict[str, Any]:
    settings: dict[str, Any] = {"attributions": attributions}
    if model:
        settings["model"] = model
    return settings


def _options(model: str | None, attributions: bool = False) -> Options:
    return Options(**_settings(model, attributions))


@main.command()
@click.argument("paths", nargs=-1, metavar="[PATH]...")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
              help="table: for reading; jsonl: one result object a line; json: one array.")
@click.option("--sample", is_flag=True, help="Read the sample articles bundled with quotegraph.")
@_model_option
@_attributions_option
@_jobs_option
@click.option("--no-progress", is_flag=True, help="Never show the progress bar.")
def extract(paths: tuple[str, ...], fmt: str, sample: bool, model: str | None, attributions: bool, jobs: int,
            no_progress: bool) -> None:
    """Find the quotes in articles and attribute them to speakers.

    PATH is a text file (the whole file is one article, a " date YYYY-MM-DD "
    header included), a JSONL file (one {"text", "id"?, "date"?} object a line),
    a folder (its *.txt and *.jsonl files at any depth), or - for stdin.
    In a batch, unreadable files and bad JSONL lines are reported on stderr and
    skipped.
    """
    if sample == bool(paths):
        raise click.UsageError("give a PATH (a file, a folder, or - for stdin) or --sample, not both")
    skips = SkipReport()
    records = readers.read_samples() if sample else readers.read_inputs(
        paths, stdin=getattr(sys.stdin, "buffer", None), on_skip=skips)
    # Reading the first two records fails fast on bad input, before the model
    # loads, and tells whether a progress bar is worth showing.
    head = list(islice(records, 2))
    results = _extract(chain(head, records), jobs=jobs, options=_options(model, attributions))
    show_progress = (not no_progress and len(head) > 1
                     and _is_terminal(sys.stderr) and not _is_terminal(sys.stdout))
    try:
        with _progress(show_progress) as advance:
            WRITERS[fmt](_ticking(results, advance))
    finally:
        skips.close()


@main.command("eval")
@click.argument("gold", metavar="GOLD.jsonl")
@click.option("--pred", metavar="PRED.jsonl",
              help="Grade this output of `extract --format jsonl` instead of running extraction.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as one JSON object.")
@click.option("--errors", "n_errors", type=click.IntRange(min=0), default=0, show_default=True,
              metavar="N", help="Also list the first N errors.")
@_model_option
@_attributions_option
@_jobs_option
def eval_command(gold: str, pred: str | None, as_json: bool, n_errors: int, model: str | None,
                 attributions: bool, jobs: int) -> None:
    """Score quotes and speakers against annotated articles.

    GOLD.jsonl holds one article a line: "id", "text" and the gold "quotes".
    Without --pred, quotegraph first extracts from the gold texts.
    """
    from .evaluation import evaluate, format_report  # only this command needs the scorer

    for path in (gold, pred):
        if path is not None:
            _require_file(path)
    result, errors = evaluate(gold, pred_path=pred, jobs=jobs, options=_options(model, attributions),
                              n_errors=0 if as_json else n_errors)
    click.echo(json.dumps(result) if as_json else format_report(result, errors))


@main.command()
@click.argument("paths", nargs=-1, metavar="[PATH]...")
@click.option("--sample", is_flag=True, help="Ingest the sample articles bundled with quotegraph.")
@click.option("--db", default="quotegraph.db", show_default=True, metavar="FILE|URL",
              help="The corpus: a SQLite file, created on first use, or a PostgreSQL database's "
                   "postgresql://user@host/database URL (the database must exist; its tables are "
                   "created on first use; needs pip install 'quotegraph[postgres]').")
@_model_option
@_jobs_option
@click.option("--batch", type=click.IntRange(min=1), default=BATCH, show_default=True, metavar="N",
              help="Articles written per transaction: an interruption loses at most this much work.")
@click.option("--no-progress", is_flag=True, help="Never show the progress bar.")
def ingest(paths: tuple[str, ...], sample: bool, db: str, model: str | None, jobs: int, batch: int,
           no_progress: bool) -> None:
    """Add articles to a corpus database, with their quotes and people, and
    recognise the same quote across outlets and the same person across articles.

    \b
    PATH is a file or a folder (every file of these kinds under it, at any depth):
      *.txt               one article, as `extract` reads it
      *.jsonl, *.jsonl.gz one article a line: {"text", "id"?, "url"?, "title"?,
                          "date"?, "outlet"?}
      *.html, *.htm       a web page: main text, title, date, URL and site
                          found by trafilatura
      *.warc, *.warc.gz   a web crawl: each HTML response is a page as above
    or - for stdin (JSONL or one article).

    An article is known by its URL (normalised: no tracking parameters,
    fragment or trailing slash), else by a hash of its text. Articles already
    stored are skipped, changed ones are extracted again and replace the old,
    and a key met twice in one run keeps its first article. Interrupting
    ingest (Ctrl-C, kill, a crash) loses nothing: run the same command again
    and it finishes the work, ending with the database an uninterrupted run
    gives. Inputs that cannot be read are reported on stderr and skipped.

    When anything changed, ingest ends by clustering every quote occurrence
    into quotes (fuzzy: quote marks, spelling, truncation, split quotes,
    paraphrase) and merging people across articles; `search`, `quote`,
    `people`, `person`, `stats` and `export` read the result.

    The corpus is a SQLite file, or a PostgreSQL database for corpora too
    large for one file or shared by a team: several ingests, on one machine
    or many, may then write to it at once.

    \b
      quotegraph ingest crawl.warc.gz feeds/ --db news.db --jobs 2
      quotegraph ingest --sample --db sample.db
      quotegraph ingest feeds/ --db postgresql://news@db.example/news
    """
    from .corpus import Corpus

    if sample == bool(paths):
        raise click.UsageError("give a PATH (a file, a folder, or - for stdin) or --sample, not both")
    skips = SkipReport()
    show_progress = not no_progress and _is_terminal(sys.stderr)
    options = corpus_options(**_settings(model))
    try:
        with Corpus(db, options=options) as corpus, _ingest_progress(show_progress) as progress:
            stats = corpus.ingest(paths, jobs=jobs, on_progress=progress, on_skip=skips,
                                  stdin=getattr(sys.stdin, "buffer", None), batch=batch, sample=sample)
            counts = corpus.counts()
            reach = corpus.stats()
            where = corpus.where  # a URL without its password
    finally:
        skips.close()
    click.echo(_ingest_summary(where, stats, counts, reach))


@contextmanager
def _ingest_progress(enabled: bool) -> Iterator[Callable[[IngestStats], None]]:
    """A progress bar on stderr over the input's bytes; yields the function that updates it."""
    if not enabled:
        yield lambda stats: None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeRemainingColumn,
    )

    columns = (SpinnerColumn(), BarColumn(), TextColumn("{task.fields[articles]:,} articles"),
               TextColumn("{task.fields[rate]:.1f}/s"), TextColumn("{task.fields[quotes]:,} quotes"),
               TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True, redirect_stdout=False) as bar:
        task = bar.add_task("ingest", total=None, articles=0, rate=0.0, quotes=0)

        def update(stats: IngestStats) -> None:
            bar.update(task, completed=stats.bytes_done, total=stats.bytes_total, articles=stats.read,
                       rate=stats.articles_per_second, quotes=stats.quotes)

        yield update


def _ingest_summary(where: str, stats: IngestStats, counts: Mapping[str, int], reach: Mapping[str, Any]) -> str:
    """What one ingest did and what the corpus now holds, for reading."""
    chars_per_second = stats.chars / stats.seconds if stats.seconds else 0.0
    lines = [
        (f"Read {stats.read:,} articles in {stats.seconds:.1f} s: {stats.added:,} added, "
         f"{stats.replaced:,} replaced, {stats.unchanged:,} unchanged, {stats.duplicates:,} duplicates."),
        (f"Extracted {stats.extracted:,} articles ({stats.articles_per_second:.1f}/s, "
         f"{chars_per_second:,.0f} characters/s): {stats.quotes:,} quotes, {stats.people:,} people."),
    ]
    if stats.skipped:
        plural = "s" if stats.skipped != 1 else ""
        lines.append(f"Could not read {stats.skipped:,} input{plural} (reported above, with why).")
    lines.append(f"{where} holds {counts['articles']:,} articles, {counts['quotes']:,} quotes, "
                 f"{counts['people']:,} people.")
    lines.append(f"Across articles: {counts['clusters']:,} distinct quotes, {reach['quotes_in_several_articles']:,} "
                 f"of them in several articles and {reach['altered_quotes']:,} altered; "
                 f"{counts['merged_people']:,} people and organisations.")
    return "\n".join(lines)


def _require_file(path: str) -> None:
    readers.check_paths([path])
    if not Path(path).is_file():
        raise InputError(Messages.E011.format(where=path, reason="not a file"))


class SkipReport:
    """Reports skipped inputs on stderr: the first ``limit`` in full, the rest as a count."""

    def __init__(self, limit: int = MAX_WARNINGS) -> None:
        self.limit = limit
        self.count = 0

    def __call__(self, error: InputError) -> None:
        self.count += 1
        if self.count <= self.limit:
            _warn(f"{error}; skipped")

    def close(self) -> None:
        """Print how many skips went unreported."""
        if self.count > self.limit:
            _warn(f"{self.count - self.limit} more inputs skipped ({self.count} in all)")


def _warn(message: str) -> None:
    click.echo(click.style("Warning: ", fg="yellow") + message, err=True)


def _extract(records: Iterable[Mapping[str, Any]], *, jobs: int,
             options: Options) -> Iterator[ArticleResult]:
    """``extract_many`` over ``records``; a result lacking an id or date gets its record's."""
    pending: deque[tuple[Any, Any]] = deque()

    def remembered() -> Iterator[Mapping[str, Any]]:
        for record in records:
            pending.append((record.get("id"), record.get("date")))
            yield record

    for result in extract_many(remembered(), jobs=jobs, options=options):
        record_id, record_date = pending.popleft()
        if result.id is None or result.date is None:
            result = dataclasses.replace(
                result,
                id=record_id if result.id is None else result.id,
                date=record_date if result.date is None else result.date,
            )
        yield result


def _is_terminal(stream: Any) -> bool:
    return bool(getattr(stream, "isatty", None) and stream.isatty())


@contextmanager
def _progress(enabled: bool) -> Iterator[Callable[[], None]]:
    """A progress bar on stderr; yields the function that counts one article done."""
    if not enabled:
        yield lambda: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    columns = (SpinnerColumn(), BarColumn(), TextColumn("articles: {task.completed}"),
               TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True,
                  redirect_stdout=False) as bar:
        task = bar.add_task("extract", total=None)
        yield lambda: bar.advance(task)


def _ticking(results: Iterable[ArticleResult], advance: Callable[[], None]) -> Iterator[ArticleResult]:
    for result in results:
        yield result
        advance()


def _write_jsonl(results: Iterable[ArticleResult]) -> None:
    for result in results:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False))


def _write_json(results: Iterable[ArticleResult]) -> None:
    # Streamed item by item, so a large batch is never held in memory.
    separator = "[\n"
    for result in results:
        item = json.dumps(result.to_dict(), ensure_ascii=False, indent=2)
        click.echo(separator + textwrap.indent(item, "  "), nl=False)
        separator = ",\n"
    click.echo("\n]" if separator == ",\n" else "[]")


def _write_table(results: Iterable[ArticleResult]) -> None:
    from rich.console import Console

    from .tables import article_table

    console = Console(highlight=False)
    for result in results:
        console.print(article_table(result))


WRITERS: dict[str, Callable[[Iterable[ArticleResult]], None]] = {
    "table": _write_table, "json": _write_json, "jsonl": _write_jsonl,
}


for _command in (*COMMANDS, serve, *SPARK_COMMANDS):
    main.add_command(_command)
