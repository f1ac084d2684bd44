"""The query commands of ``quotegraph``: search, quote, people, person, stats, export.

Each parses its arguments, opens the corpus (``Corpus``) and prints what one
of its methods returns: laid out by ``reports`` for ``--format table``, as
it is for ``--format json``. ``cli.main`` adds them to the group, whose error
handling turns quotegraph's errors into one ``Error: ...`` line.
"""
from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import click

from . import reports
from .corpus import TYPES, Corpus
from .errors import Messages, QueryError
from .export import COLUMNS, FORMATS

VIEWS = ("table", "json")


def db_option(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--db", default="quotegraph.db", show_default=True, metavar="FILE|URL",
                        help="The corpus that `quotegraph ingest` made: a SQLite file or a "
                             "postgresql://user@host/database URL.")(command)


def format_option(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--format", "fmt", type=click.Choice(VIEWS), default="table", show_default=True,
                        help="table: for reading; json: the Corpus method's result as JSON.")(command)


@contextmanager
def opened(db: str) -> Iterator[Corpus]:
    """The corpus in ``db``, which must exist; warns when it is empty or its clusters lag behind."""
    with Corpus(db, create=False) as corpus:
        where = corpus.where  # a URL without its password
        if corpus.counts()["articles"] == 0:
            _warn(f"{where} holds no articles yet: add some with `quotegraph ingest PATH --db {where}`")
        elif corpus.clusters_stale:
            _warn(f"{where}: an ingest stopped before clustering; run it again to bring quotes and people up to date")
        yield corpus


def _warn(message: str) -> None:
    click.echo(click.style("Warning: ", fg="yellow") + message, err=True)


def _show(fmt: str, result: Any, table: Callable[[], str]) -> None:
    click.echo(json.dumps(result, ensure_ascii=False, indent=2) if fmt == "json" else table())


@click.command()
@click.argument("text", metavar="TEXT")
@click.option("--speaker", metavar="NAME", help="Only occurrences whose speaker's name holds NAME (any case).")
@click.option("--outlet", metavar="NAME", help="Only occurrences in outlets whose name holds NAME.")
@click.option("--since", metavar="DATE", help="Only occurrences on or after DATE (YYYY-MM-DD, YYYY-MM or YYYY).")
@click.option("--until", metavar="DATE", help="Only occurrences on or before DATE (a month or year: all of it).")
@click.option("--type", "type_", metavar="TYPE", help=f"Only {', '.join(TYPES)} occurrences.")
@click.option("--limit", type=int, default=20, show_default=True, metavar="N", help="At most N quotes.")
@db_option
@format_option
def search(text: str, speaker: str | None, outlet: str | None, since: str | None, until: str | None,
           type_: str | None, limit: int, db: str, fmt: str) -> None:
    """Find quotes by their words, across every outlet that ran them.

    Every word of TEXT must occur in a matching quote, in any English form
    ("rebuilding piers" finds "rebuild the pier"). Hits are grouped by quote:
    one block per quote with its id, winning speaker, how many times and
    outlets it ran, and the occurrences that matched. Show one whole with
    `quotegraph quote ID`.

    \b
      quotegraph search "not back down" --db sample.db
      quotegraph search ferry --speaker marchbank --since 2026-03-03 --format json
    """
    with opened(db) as corpus:
        hits = corpus.search(text, speaker=speaker, outlet=outlet, since=since, until=until, type=type_,
                             limit=limit)
    _show(fmt, hits, lambda: reports.search_report(hits))


@click.command()
@click.argument("quote_id", metavar="ID|WORDS")
@db_option
@format_option
def quote(quote_id: str, db: str, fmt: str) -> None:
    """Show one quote: its canonical text, who said it, where it ran, and how each outlet worded it.

    ID is a quote id from `search`, `person` or `export`, or the key of any
    of its occurrences (`search --format json`); any other text shows the
    quote that best matches its words. The speaker is a vote over
    the occurrences, weighted by the extractor's confidence. The timeline lists
    every occurrence by date and outlet with its variant: verbatim,
    spelling/punctuation (honour/honor, ten/10), ALTERED (a word changed,
    added or dropped: a misquote), paraphrase (reported speech), and whether
    it is truncated. Each variant is then shown as a word diff against the
    canonical text: [-its words-]{+their words+}.

    \b
      quotegraph quote 12 --db sample.db
      quotegraph quote "not back down" --db sample.db
    """
    with opened(db) as corpus:
        found = corpus.quote(int(quote_id) if quote_id.isdigit() else corpus.find_quote(quote_id))
    _show(fmt, found, lambda: reports.quote_report(found))


@click.command()
@click.option("--top", type=int, default=20, show_default=True, metavar="N", help="The N most quoted.")
@db_option
@format_option
def people(top: int, db: str, fmt: str) -> None:
    """List the most quoted people and organisations, merged across articles.

    People merge by full name with compatible evidence (gender, handles);
    namesakes who only share a surname stay apart. "quotes" counts distinct
    quotes, "times" every occurrence credited to them.
    """
    with opened(db) as corpus:
        found = corpus.people(top=top)
    _show(fmt, found, lambda: reports.people_report(found))


@click.command()
@click.argument("name", metavar="NAME")
@db_option
@format_option
def person(name: str, db: str, fmt: str) -> None:
    """Show a person: aliases, descriptors, gender with the evidence for it, and their quotes.

    NAME is a full name (case, accents and titles aside) or any of its words:
    "Osterby" finds "Dr Halina Osterby". Several people may match; each is shown.
    Descriptors and genders come with how many articles state them.
    """
    with opened(db) as corpus:
        found = corpus.person(name)
    _show(fmt, found, lambda: reports.person_report(found))


@click.command()
@db_option
@format_option
def stats(db: str, fmt: str) -> None:
    """Count articles, outlets, quotes and people, and the quoted people by gender.

    A person's gender is what most of their articles state (pronouns,
    honorifics, descriptors); "unknown" when none states it or they disagree.
    """
    with opened(db) as corpus:
        found, where = corpus.stats(), corpus.where
    _show(fmt, found, lambda: reports.stats_report(found, where))


EXPORT_HELP = "\n".join(f"  {name:<15} {meaning}" for name, meaning in COLUMNS.items())


@click.command(help=f"""Write one row per quote, with the fields a Quotebank user knows.

Every quote of the corpus, in id order, streamed to -o FILE (stdout when
absent; parquet needs a file). CSV holds the list columns as JSON text.
Parquet needs pyarrow (pip install 'quotegraph[parquet]').

\b
Columns:
{EXPORT_HELP}

\b
  quotegraph export --format parquet -o quotes.parquet --db news.db
""")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="jsonl", show_default=True,
              help="jsonl: one JSON object a line; csv; parquet.")
@click.option("-o", "--output", metavar="FILE", help="Write here instead of stdout.")
@db_option
def export(fmt: str, output: str | None, db: str) -> None:
    if fmt == "parquet" and output is None:
        raise QueryError(Messages.E056)
    with opened(db) as corpus:
        rows = corpus.export(output or sys.stdout, format=fmt)
    if output:
        click.echo(f"Wrote {rows:,} quotes to {output}.", err=True)


COMMANDS = (search, quote, people, person, stats, export)
