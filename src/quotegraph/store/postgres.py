"""The corpus store in a PostgreSQL database, for corpora and teams larger than one SQLite file.

The same interface and results as ``SqliteStore``; what PostgreSQL adds is
several writers at once. Every write method is one transaction, retried
whole when PostgreSQL breaks a deadlock by aborting it, and ingests running
in parallel into one database neither double nor lose rows:

- a write locks the keys of its articles (advisory locks, taken in one global
  order, so two writers never wait on each other in a circle) and then
  upserts each article (``ON CONFLICT (key)``), replacing its quotes and people;
- clustering takes an exclusive lock that writes share among themselves, and
  replaces the clusters only when no write came between its reading the
  occurrences and its writing the clusters. Otherwise the clusters it computed
  are already out of date; it leaves them, and the corpus stays stale, so the
  ingest that wrote last clusters again after its write (``Corpus.ingest``).
"""
from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import parse_qsl, unquote, urlsplit

import psycopg
from psycopg import errors

from ..errors import Messages, QueryError, StoreError
from ..model import ArticleResult
from .backends import shown
from .base import Article, Extraction, Store
from .postgres_browse import PostgresBrowse
from .postgres_migrations import ARTICLE_KEYS, QUOTEGRAPH, WRITING, is_corpus, migrate
from .postgres_queries import STREAM_ROWS, PostgresQueries
from .rows import (
    OCCURRENCE_RECORDS,
    PERSON_RECORDS,
    ARTICLE_COLUMNS,
    PERSON_COLUMNS,
    QUOTE_COLUMNS,
    article_values,
    occurrence_record,
    person_record,
    person_rows,
    quote_rows,
    stored_article,
    to_json,
    variant_row,
)

if TYPE_CHECKING:
    from ..cluster import QuoteCluster

logger = logging.getLogger(__name__)

T = TypeVar("T")
# How often a transaction PostgreSQL aborted to break a deadlock is run again before giving up.
RETRIES = 5
# Seconds to wait for the server to answer a connection, unless the URL says (connect_timeout=...).
CONNECT_SECONDS = 10
# Errors that say the database holds tables of another program, not that it cannot be used.
NOT_OURS = (errors.DuplicateTable, errors.DuplicateObject, errors.UndefinedColumn, errors.UndefinedTable)


# The tables that clustering ends by analysing (``replace_clusters``).
ANALYZED = ("articles", "people", "quotes", "clusters", "cluster_members", "merged_people", "merged_people_members")


def _insert(table: str, columns: Sequence[str]) -> str:
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"


UPSERT_ARTICLE = (_insert("articles", ARTICLE_COLUMNS) + " ON CONFLICT (key) DO UPDATE SET "
                  + ", ".join(f"{c} = excluded.{c}" for c in ARTICLE_COLUMNS[1:]) + " RETURNING id")


def _reporting_failures(cls: type[T]) -> type[T]:
    """Make every ``Store`` method of ``cls`` turn a server failure (``psycopg.OperationalError``),
    when called or while its rows stream, into ``StoreError`` E035: one line, not a traceback; and a
    query ``time_limit`` stopped into ``QueryError`` E059."""
    def guarded(method: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(method)
        def call(self: PostgresStore, *args: Any, **kwargs: Any) -> Any:
            try:
                value = method(self, *args, **kwargs)
            except errors.QueryCanceled as exc:
                if self._limit is None:  # cancelled by someone else than ``time_limit``
                    raise self._failed(exc) from None
                raise QueryError(Messages.E059.format(seconds=self._limit)) from None
            except psycopg.OperationalError as exc:
                raise self._failed(exc) from None
            return _streamed(self, value) if isinstance(value, Iterator) else value
        return call

    for name in vars(Store):
        if not name.startswith("_") and callable(getattr(cls, name, None)):
            setattr(cls, name, guarded(getattr(cls, name)))
    return cls


def _streamed(store: PostgresStore, rows: Iterator[Any]) -> Iterator[Any]:
    try:
        yield from rows
    except psycopg.OperationalError as exc:
        raise store._failed(exc) from None


@_reporting_failures
class PostgresStore(PostgresQueries, PostgresBrowse):
    """A corpus in a PostgreSQL database, migrated on open.

    url (str): ``postgresql://user:password@host:port/database`` (any libpq URL).
    create (bool): when False, a database without a corpus is an error (E033) and
        is left untouched.
    Raises ``StoreError`` when the database cannot be reached or used (E032),
    holds tables of another program (E030), or was made by a newer quotegraph (E031).
    The password never appears in a message: ``where`` is the URL without it.
    """

    def __init__(self, url: str, *, create: bool = True) -> None:
        self.where = shown(url)
        self._secrets = _secrets(url)
        # The ``written`` generation the clusters being computed were read at (``replace_clusters``).
        self._read_at: int | None = None
        extra = {} if "connect_timeout" in url else {"connect_timeout": CONNECT_SECONDS}
        try:
            self.db = psycopg.connect(url, autocommit=True, application_name="quotegraph", **extra)
        except psycopg.Error as exc:
            raise StoreError(Messages.E032.format(where=self.where, reason=self._reason(exc))) from None
        try:
            if not create and not is_corpus(self.db):
                raise StoreError(Messages.E033.format(where=self.where))
            migrate(self.db, where=self.where)
        except psycopg.Error as exc:
            self.db.close()
            message = Messages.E030 if isinstance(exc, NOT_OURS) else Messages.E032
            raise StoreError(message.format(where=self.where, reason=self._reason(exc))) from None
        except BaseException:
            self.db.close()
            raise

    def _failed(self, exc: psycopg.OperationalError) -> StoreError:
        """The one-line error for a server that failed mid-work: stopped, restarted, unreachable, out of disk."""
        return StoreError(Messages.E035.format(where=self.where, reason=self._reason(exc)))

    def _reason(self, exc: psycopg.Error) -> str:
        """PostgreSQL's message on one line, with nothing of the password in it."""
        reason = " ".join(str(exc).split())
        for secret in self._secrets:
            reason = reason.replace(secret, "***")
        return reason

    def close(self) -> None:
        self.db.close()

    def _transaction(self, work: Callable[[psycopg.Connection], T]) -> T:
        """``work(db)`` in one transaction, run again when PostgreSQL aborts it to break a deadlock."""
        attempts = 0
        while True:
            try:
                with self.db.transaction():
                    return work(self.db)
            except (errors.DeadlockDetected, errors.SerializationFailure):
                attempts += 1
                if attempts == RETRIES:
                    raise
                logger.info("%s: a write met another in a deadlock; running it again", self.where)

    # -- articles ------------------------------------------------------------------------

    def revision(self, key: str) -> tuple[Any, ...] | None:
        row = self.db.execute("SELECT text_hash, extraction, url, title, outlet, date FROM articles WHERE key = %s",
                              (key,)).fetchone()
        return tuple(row) if row else None

    def write(self, items: Sequence[tuple[Article, ArticleResult]], extraction: Extraction) -> None:
        """Store articles and their results in one transaction, replacing what each key held.

        Articles, quotes and people get their ids in the order of ``items``, as in SQLite, so
        quote ids follow the input. The statements go out pipelined: a write waits for the
        server about three times, however many articles it holds.
        """
        keys = [a.key for a, _ in items]
        # A key given twice ends with its last results, as if written one after the other.
        last = {article.key: n for n, (article, _) in enumerate(items)}

        def work(db: psycopg.Connection) -> None:
            # Shared among writers; clustering waits for it alone (replace_clusters).
            db.execute("SELECT pg_advisory_xact_lock_shared(%s, %s)", (QUOTEGRAPH, WRITING))
            db.execute("""SELECT count(pg_advisory_xact_lock(%s, h))
                          FROM (SELECT DISTINCT hashtext(k) AS h FROM unnest(%s::text[]) AS k ORDER BY h) AS locks""",
                       (ARTICLE_KEYS, keys))
            with db.pipeline():
                db.execute("INSERT INTO extractions (version, quotegraph, model, options) VALUES (%s, %s, %s, %s) "
                           "ON CONFLICT DO NOTHING",
                           (extraction.version, extraction.quotegraph, extraction.model, extraction.options))
                upserts = [db.execute(UPSERT_ARTICLE, article_values(a)) for a, _ in items]
                ids = [cursor.fetchone()[0] for cursor in upserts]
                # Quotes first: they name people of the same article. Nothing to delete for a new key.
                db.execute("DELETE FROM quotes WHERE article = ANY(%s)", (ids,))
                db.execute("DELETE FROM people WHERE article = ANY(%s)", (ids,))
                kept = [(ids[n], result) for n, (article, result) in enumerate(items) if last[article.key] == n]
                with db.cursor() as cursor:
                    cursor.executemany(_insert("people", PERSON_COLUMNS),
                                       [row for article_id, result in kept for row in person_rows(article_id, result)])
                    cursor.executemany(_insert("quotes", QUOTE_COLUMNS),
                                       [row for article_id, result in kept for row in quote_rows(article_id, result)])
                db.execute("UPDATE corpus_state SET value = value + 1 WHERE name = 'written'")

        self._transaction(work)
        self._read_at = None  # what this store read before its own write is out of date

    def article(self, key: str) -> tuple[Article, ArticleResult] | None:
        row = self.db.execute(f"SELECT id, {', '.join(ARTICLE_COLUMNS)} FROM articles WHERE key = %s",
                              (key,)).fetchone()
        if row is None:
            return None
        people = self.db.execute(
            f"SELECT {', '.join(PERSON_COLUMNS[1:])} FROM people WHERE article = %s ORDER BY id", (row[0],)).fetchall()
        quotes = self.db.execute(
            f"SELECT {', '.join(QUOTE_COLUMNS[1:])} FROM quotes WHERE article = %s ORDER BY id", (row[0],)).fetchall()
        return stored_article(row[1:], people, quotes)

    # -- clustering ----------------------------------------------------------------------

    def _generation(self, name: str) -> int:
        return self.db.execute("SELECT value FROM corpus_state WHERE name = %s", (name,)).fetchone()[0]

    def clusters_stale(self) -> bool:
        """Whether articles were written since the clusters were computed (``clusters_staleness``)."""
        return self._generation("written") != self._generation("clustered")

    def _note_read(self, *, first: bool) -> None:
        """Remember the write generation before a read that clustering may use.

        first: the read that starts a clustering (``occurrences``), which forgets any earlier one;
            a later read (``person_records``) keeps the generation that one saw.
        """
        if first or self._read_at is None:
            self._read_at = self._generation("written")

    def occurrences(self) -> Iterator[dict[str, Any]]:
        """Every quote occurrence, in id order, as ``SqliteStore.occurrences`` gives them.

        Streamed from the server: read it to the end before the next query on this store.
        """
        self._note_read(first=True)
        return map(occurrence_record, self.db.cursor().stream(OCCURRENCE_RECORDS, size=STREAM_ROWS))

    def person_records(self) -> Iterator[dict[str, Any]]:
        """Every per-article person or organisation, in id order, as ``SqliteStore.person_records`` gives them
        (streamed, as ``occurrences``)."""
        self._note_read(first=False)
        return map(person_record, self.db.cursor().stream(PERSON_RECORDS, size=STREAM_ROWS))

    def replace_clusters(self, clusters: Sequence[QuoteCluster], people: Sequence[Sequence[int]]) -> None:
        """Replace every quote cluster and merged person with these, in one transaction, as
        ``SqliteStore.replace_clusters`` does, unless they are out of date.

        They are out of date when an article was written after ``occurrences`` (and
        then ``person_records``) were read for them, since this store's last write;
        without such a read they are taken as current. Then nothing is replaced and
        the corpus stays stale, for the writer to cluster again. A key that is no stored occurrence or person raises
        ``psycopg.errors.ForeignKeyViolation`` and leaves the old clusters in place.
        """
        read_at, self._read_at = self._read_at, None

        def work(db: psycopg.Connection) -> bool:
            db.execute("SELECT pg_advisory_xact_lock(%s, %s)", (QUOTEGRAPH, WRITING))
            written = self._generation("written")
            if read_at is not None and read_at != written:
                logger.info("%s: articles were written while clustering; leaving the clusters to the writer",
                            self.where)
                return False
            for table in ("cluster_members", "clusters", "merged_people_members", "merged_people"):
                db.execute(f"DELETE FROM {table}")
            with db.cursor() as cursor:
                cursor.executemany(
                    "INSERT INTO clusters (id, canonical, earliest, speaker, speakers, altered) "
                    "VALUES (%s, %s, %s, %s, %s, %s)",
                    [(min(c.members), c.canonical, c.earliest, c.speaker, to_json(c.speakers), c.altered)
                     for c in clusters])
                cursor.executemany(
                    "INSERT INTO cluster_members (quote, cluster, variant, truncated, changes) "
                    "VALUES (%s, %s, %s, %s, %s)",
                    [(key, min(c.members), *_flagged(variant_row({v.key: v for v in c.variants}.get(key))))
                     for c in clusters for key in c.members])
                cursor.executemany("INSERT INTO merged_people (id, name) VALUES (%s, '')",
                                   [(min(group),) for group in people])
                cursor.executemany("INSERT INTO merged_people_members (person, merged) VALUES (%s, %s)",
                                   [(key, min(group)) for group in people for key in group])
            db.execute("""
                UPDATE merged_people SET name = (
                    SELECT p.name FROM merged_people_members m JOIN people p ON p.id = m.person
                    WHERE m.merged = merged_people.id
                    GROUP BY p.name ORDER BY strpos(p.name, ' ') > 0 DESC, count(*) DESC, length(p.name) DESC, p.name
                    LIMIT 1)""")
            db.execute("UPDATE corpus_state SET value = %s WHERE name = 'clustered'", (written,))
            return True

        if self._transaction(work):
            # Fresh statistics for the planner now, rather than when autovacuum next looks: the
            # queries join these tables, and a plan made for empty tables takes seconds, not ms.
            self.db.execute(f"ANALYZE {', '.join(ANALYZED)}")

    # -- reading -------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        tables = ("articles", "quotes", "people", "clusters", "merged_people")
        return {t: self.db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}


def _flagged(variant: tuple[str | None, int | None, str | None]) -> tuple[str | None, bool | None, str | None]:
    """A variant's columns with ``truncated`` as PostgreSQL's boolean."""
    kind, truncated, changes = variant
    return kind, None if truncated is None else bool(truncated), changes


def _secrets(url: str) -> list[str]:
    """The password a URL carries (in its user part or as ``?password=``), to keep out of messages."""
    parts = urlsplit(url)
    found = [parts.password, unquote(parts.password)] if parts.password else []
    found += [v for k, v in parse_qsl(parts.query) if k == "password" and v]
    return found
