"""The embedded corpus store: one SQLite file.

One connection does every write (Datasette's single-writer pattern), each
write method in one ``BEGIN IMMEDIATE`` transaction. The journal is a WAL, so
readers, such as a second process watching the corpus grow, never block the
writer. ``synchronous=NORMAL`` keeps every committed transaction through a
killed process (SIGKILL included); only a power cut can take back the last
ones, and never half of one, so a re-run of the same ingest still ends in the
same database.
"""
from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import Messages, QueryError, StoreError
from ..model import ArticleResult
from .base import Article, Extraction
from .migrations import migrate
from .browse import SqliteBrowse
from .queries import SqliteQueries
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

# SQLite's errors that say the file is no quotegraph database, rather than that it cannot be used.
NOT_OURS = frozenset({"SQLITE_NOTADB", "SQLITE_CORRUPT", "SQLITE_ERROR"})
# How long a write waits for another process's write to finish before giving up.
BUSY_SECONDS = 60.0


def _insert(table: str, columns: Sequence[str]) -> str:
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"


class SqliteStore(SqliteQueries, SqliteBrowse):
    """A corpus in one SQLite file, created and migrated on open.

    path (str or Path): the database file; ``":memory:"`` for a throwaway one.
    Raises ``StoreError`` when the file is not a SQLite database (E030), cannot
    be opened (E032), or was made by a newer quotegraph (E031).
    """

    def __init__(self, path: str | Path) -> None:
        self.where = str(path)
        try:
            self.db = sqlite3.connect(self.where, isolation_level=None, timeout=BUSY_SECONDS)
        except sqlite3.Error as exc:
            raise StoreError(Messages.E032.format(where=self.where, reason=exc)) from exc
        try:
            # WAL cannot be switched on inside a transaction, so it is set here, not in a migration.
            self.db.execute("PRAGMA journal_mode = WAL")
            self.db.execute("PRAGMA synchronous = NORMAL")
            self.db.execute("PRAGMA foreign_keys = ON")
            migrate(self.db, where=self.where)
        except sqlite3.Error as exc:
            self.db.close()
            # What the file holds is wrong (not SQLite, damaged, a schema of another
            # program), or the file cannot be used (permissions, disk, locks).
            message = Messages.E030 if getattr(exc, "sqlite_errorname", "") in NOT_OURS else Messages.E032
            raise StoreError(message.format(where=self.where, reason=exc)) from exc
        except BaseException:
            self.db.close()
            raise

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def time_limit(self, seconds: float) -> Iterator[None]:
        """Stop any query of this block still running after ``seconds``, with ``QueryError`` (E059).

        SQLite calls the progress handler every few thousand steps of its virtual machine; a
        handler that returns true interrupts the statement.
        """
        deadline = time.monotonic() + seconds
        self.db.set_progress_handler(lambda: time.monotonic() > deadline, 10_000)
        try:
            yield
        except sqlite3.OperationalError as exc:
            if str(exc) != "interrupted":
                raise
            raise QueryError(Messages.E059.format(seconds=seconds)) from None
        finally:
            self.db.set_progress_handler(None, 0)

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # -- articles ------------------------------------------------------------------------

    def revision(self, key: str) -> tuple[Any, ...] | None:
        row = self.db.execute("SELECT text_hash, extraction, url, title, outlet, date FROM articles WHERE key = ?",
                              (key,)).fetchone()
        return tuple(row) if row else None

    def write(self, items: Sequence[tuple[Article, ArticleResult]], extraction: Extraction) -> None:
        """Store articles and their results in one transaction, replacing what each key held.

        extraction (Extraction): what produced the results; every ``Article.extraction`` names it.
        """
        with self._transaction() as db:
            db.execute("INSERT OR IGNORE INTO extractions (version, quotegraph, model, options) VALUES (?, ?, ?, ?)",
                       (extraction.version, extraction.quotegraph, extraction.model, extraction.options))
            for article, result in items:
                self._write_one(db, article, result)
            db.execute("UPDATE corpus_state SET value = 1 WHERE name = 'clusters_stale'")

    @staticmethod
    def _write_one(db: sqlite3.Connection, article: Article, result: ArticleResult) -> None:
        values = article_values(article)
        row = db.execute("SELECT id FROM articles WHERE key = ?", (article.key,)).fetchone()
        if row is None:
            article_id = db.execute(_insert("articles", ARTICLE_COLUMNS), values).lastrowid
        else:
            article_id = row[0]
            # Quotes first: they name people of the same article.
            db.execute("DELETE FROM quotes WHERE article = ?", (article_id,))
            db.execute("DELETE FROM people WHERE article = ?", (article_id,))
            assignments = ", ".join(f"{c} = ?" for c in ARTICLE_COLUMNS[1:])
            db.execute(f"UPDATE articles SET {assignments} WHERE id = ?", (*values[1:], article_id))
        db.executemany(_insert("people", PERSON_COLUMNS), person_rows(article_id, result))
        db.executemany(_insert("quotes", QUOTE_COLUMNS), quote_rows(article_id, result))

    def article(self, key: str) -> tuple[Article, ArticleResult] | None:
        row = self.db.execute(f"SELECT id, {', '.join(ARTICLE_COLUMNS)} FROM articles WHERE key = ?",
                              (key,)).fetchone()
        if row is None:
            return None
        people = self.db.execute(f"SELECT {', '.join(PERSON_COLUMNS[1:])} FROM people WHERE article = ? ORDER BY id",
                                 (row[0],))
        quotes = self.db.execute(f"SELECT {', '.join(QUOTE_COLUMNS[1:])} FROM quotes WHERE article = ? ORDER BY id",
                                 (row[0],))
        return stored_article(row[1:], people, quotes)

    # -- clustering ----------------------------------------------------------------------

    def clusters_stale(self) -> bool:
        """Whether articles were written since the clusters were (``migrations.clusters_staleness``)."""
        return bool(self.db.execute("SELECT value FROM corpus_state WHERE name = 'clusters_stale'").fetchone()[0])

    def occurrences(self) -> Iterator[dict[str, Any]]:
        """Every quote occurrence, in id order, as ``Occurrence(key, text, type, article, date, outlet,
        speaker, confidence)``, ``article`` being the article's key and ``text`` the quote's pieces
        without the attribution between them (``Occurrence.from_quote``)."""
        return map(occurrence_record, self.db.execute(OCCURRENCE_RECORDS))

    def person_records(self) -> Iterator[dict[str, Any]]:
        """Every per-article person or organisation, in id order, as ``PersonRecord(key, article, name,
        gender, descriptors, handles)``."""
        return map(person_record, self.db.execute(PERSON_RECORDS))

    def replace_clusters(self, clusters: Sequence[QuoteCluster], people: Sequence[Sequence[int]]) -> None:
        """Replace every quote cluster and merged person with these, in one transaction.

        clusters: ``quotegraph.cluster.QuoteCluster`` objects over occurrence keys. A cluster's id
            is its smallest member's key, so a quote keeps its id across ingests that add
            other quotes (``quotegraph quote ID`` goes on working).
        people: groups of per-article person keys, as ``merge_people`` returns them; a merged
            person's id is likewise its smallest member's key, and its name the one its members
            give most often, a full name before a bare surname ("Ines Varholm", not "Varholm").
        A key that is no stored occurrence or person raises ``sqlite3.IntegrityError``
        and leaves the old clusters in place.
        """
        with self._transaction() as db:
            for table in ("cluster_members", "clusters", "merged_people_members", "merged_people"):
                db.execute(f"DELETE FROM {table}")
            for cluster in clusters:
                number = min(cluster.members)
                db.execute("INSERT INTO clusters (id, canonical, earliest, speaker, speakers, altered) "
                           "VALUES (?, ?, ?, ?, ?, ?)",
                           (number, cluster.canonical, cluster.earliest, cluster.speaker,
                            to_json(cluster.speakers), int(cluster.altered)))
                variants = {v.key: v for v in cluster.variants}
                db.executemany(
                    "INSERT INTO cluster_members (quote, cluster, variant, truncated, changes) VALUES (?, ?, ?, ?, ?)",
                    [(key, number, *variant_row(variants.get(key))) for key in cluster.members])
            for group in people:
                number = min(group)
                db.execute("INSERT INTO merged_people (id, name) VALUES (?, '')", (number,))
                db.executemany("INSERT INTO merged_people_members (person, merged) VALUES (?, ?)",
                               [(key, number) for key in group])
            db.execute("""
                UPDATE merged_people SET name = (
                    SELECT p.name FROM merged_people_members m JOIN people p ON p.id = m.person
                    WHERE m.merged = merged_people.id
                    GROUP BY p.name ORDER BY instr(p.name, ' ') > 0 DESC, count(*) DESC, length(p.name) DESC, p.name
                    LIMIT 1)""")
            db.execute("UPDATE corpus_state SET value = 0 WHERE name = 'clusters_stale'")

    # -- reading -------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        tables = ("articles", "quotes", "people", "clusters", "merged_people")
        return {t: self.db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}
