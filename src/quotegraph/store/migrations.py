"""The corpus schema, built by named migrations that a table records.

Each migration is a function of the connection, listed once in ``MIGRATIONS``
and never edited after release: a schema change is a new migration, so any
older database can be brought up to date. Each runs in its own transaction
with its row in ``migrations``, so a migration interrupted at any point leaves
the database as it was before it.

Tables (offsets are character offsets into ``articles.text``, end exclusive):

    articles       one row per article identity (key); text, metadata, text_hash,
                   extraction (which engine and options produced its results)
    extractions    each extraction version: quotegraph and model versions, options
    people         per-article people and organisations, as the data contract's "people"
    quotes         quote occurrences, every field of the data contract's "quotes"
    clusters, cluster_members            the same quote across articles (filled by clustering)
    merged_people, merged_people_members the same person across articles (filled by clustering)
    quotes_fts, articles_fts             full-text indexes (FTS5), kept in step by triggers
    corpus_state   named flags about the corpus as a whole: ``clusters_stale``
"""
from __future__ import annotations

import datetime
import sqlite3
from collections.abc import Callable

from ..errors import Messages, StoreError

Migration = Callable[[sqlite3.Connection], None]


def _run(db: sqlite3.Connection, *statements: str) -> None:
    # One execute per statement: executescript would commit the open transaction.
    for statement in statements:
        db.execute(statement)


def articles_quotes_people(db: sqlite3.Connection) -> None:
    """Articles, what produced their results, and the quotes and people found in each."""
    _run(db, """
        CREATE TABLE extractions (
            version    TEXT PRIMARY KEY,
            quotegraph TEXT NOT NULL,
            model      TEXT NOT NULL,
            options    TEXT NOT NULL  -- Options.to_dict() as JSON
        )""", """
        CREATE TABLE articles (
            id         INTEGER PRIMARY KEY,
            key        TEXT NOT NULL UNIQUE,  -- normalised URL, else sha256:<hash of the text>
            source_id  TEXT,                  -- the input's own id for it
            url        TEXT,
            title      TEXT,
            outlet     TEXT,
            date       TEXT,
            text       TEXT NOT NULL,
            text_hash  TEXT NOT NULL,
            extraction TEXT NOT NULL REFERENCES extractions(version)
        )""", """
        CREATE INDEX articles_date ON articles(date)""", """
        CREATE TABLE people (
            id          INTEGER PRIMARY KEY,
            article     INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            pid         TEXT NOT NULL,  -- the id quotes name it by within the article: p1, p2...
            name        TEXT NOT NULL,
            kind        TEXT NOT NULL,  -- person | organisation
            gender      TEXT,
            descriptors TEXT NOT NULL,  -- JSON array of strings
            age         INTEGER,
            handles     TEXT NOT NULL,  -- JSON array of strings
            mentions    TEXT NOT NULL,  -- JSON array of [start, end]
            UNIQUE (article, pid)
        )""", """
        CREATE TABLE quotes (
            id            INTEGER PRIMARY KEY,
            article       INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            start_char    INTEGER NOT NULL,
            end_char      INTEGER NOT NULL,
            spans         TEXT NOT NULL,  -- JSON array of [start, end]
            text          TEXT NOT NULL,
            type          TEXT NOT NULL CHECK (type IN ('direct', 'partial', 'indirect')),
            speaker       TEXT,
            speaker_id    TEXT,
            mention_start INTEGER,
            mention_end   INTEGER,
            mention_text  TEXT,
            cue_start     INTEGER,
            cue_end       INTEGER,
            cue_text      TEXT,
            channel       TEXT,
            confidence    REAL NOT NULL,
            evidence      TEXT NOT NULL,
            FOREIGN KEY (article, speaker_id) REFERENCES people(article, pid)
        )""", """
        CREATE INDEX quotes_article ON quotes(article)""")


def full_text_search(db: sqlite3.Connection) -> None:
    """FTS5 indexes over quotes (text, speaker) and articles (title, text).

    They are external-content tables: the text lives once, in ``quotes`` and
    ``articles``, and triggers keep each index in step within the same
    transaction as the change.
    """
    for table, columns in (("quotes", ("text", "speaker")), ("articles", ("title", "text"))):
        names = ", ".join(columns)
        new = ", ".join(f"new.{c}" for c in columns)
        old = ", ".join(f"old.{c}" for c in columns)
        index = f"{table}_fts"
        _run(db, f"""
            CREATE VIRTUAL TABLE {index} USING fts5({names}, content='{table}', content_rowid='id',
                                                   tokenize='porter unicode61 remove_diacritics 2')""",
             f"""
            CREATE TRIGGER {table}_fts_insert AFTER INSERT ON {table} BEGIN
                INSERT INTO {index}(rowid, {names}) VALUES (new.id, {new});
            END""", f"""
            CREATE TRIGGER {table}_fts_delete AFTER DELETE ON {table} BEGIN
                INSERT INTO {index}({index}, rowid, {names}) VALUES ('delete', old.id, {old});
            END""", f"""
            CREATE TRIGGER {table}_fts_update AFTER UPDATE ON {table} BEGIN
                INSERT INTO {index}({index}, rowid, {names}) VALUES ('delete', old.id, {old});
                INSERT INTO {index}(rowid, {names}) VALUES (new.id, {new});
            END""")


def clusters_and_merged_people(db: sqlite3.Connection) -> None:
    """The same quote across articles and the same person across articles.

    A clustering step replaces these tables whole (``Store.replace_clusters``).
    Re-extracting an article deletes its occurrences from them (members
    cascade, a cluster's canonical or earliest occurrence becomes NULL) until
    clustering runs again.
    """
    _run(db, """
        CREATE TABLE clusters (
            id        INTEGER PRIMARY KEY,
            canonical INTEGER REFERENCES quotes(id) ON DELETE SET NULL,  -- the fullest faithful form
            earliest  INTEGER REFERENCES quotes(id) ON DELETE SET NULL,
            speaker   TEXT,                 -- the winner of the vote
            speakers  TEXT NOT NULL,        -- JSON [[name, weight], ...], the confidence-weighted vote
            altered   INTEGER NOT NULL      -- 1 when an occurrence alters the wording
        )""", """
        CREATE TABLE cluster_members (
            quote     INTEGER PRIMARY KEY REFERENCES quotes(id) ON DELETE CASCADE,
            cluster   INTEGER NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,
            variant   TEXT,     -- canonical | verbatim | spelling_punctuation | altered | paraphrase
            truncated INTEGER,
            changes   TEXT      -- JSON: the word-level differences from the canonical form
        )""", """
        CREATE INDEX cluster_members_cluster ON cluster_members(cluster)""", """
        CREATE TABLE merged_people (
            id   INTEGER PRIMARY KEY,
            name TEXT NOT NULL  -- the name its members give most often
        )""", """
        CREATE TABLE merged_people_members (
            person INTEGER PRIMARY KEY REFERENCES people(id) ON DELETE CASCADE,
            merged INTEGER NOT NULL REFERENCES merged_people(id) ON DELETE CASCADE
        )""", """
        CREATE INDEX merged_people_members_merged ON merged_people_members(merged)""")


def clusters_staleness(db: sqlite3.Connection) -> None:
    """A flag that says whether the clusters lag behind the articles.

    Every article write sets it in the same transaction and every cluster
    write clears it, so an ingest killed after storing articles but before
    clustering them leaves it set, and the next ingest clusters even when it
    has nothing new to store. A database made before this flag holds articles
    that were never clustered by ingest, so it starts set when there are any.
    """
    _run(db, """
        CREATE TABLE corpus_state (
            name  TEXT PRIMARY KEY,
            value INTEGER NOT NULL
        )""", """
        INSERT INTO corpus_state (name, value) VALUES ('clusters_stale', (SELECT count(*) > 0 FROM articles))""")


MIGRATIONS: tuple[Migration, ...] = (articles_quotes_people, full_text_search, clusters_and_merged_people,
                                     clusters_staleness)
"""Every migration in the order it runs; a migration's name is its function's name."""


def applied(db: sqlite3.Connection) -> list[str]:
    """Names of the migrations the database has, in the order they ran."""
    return [name for (name,) in db.execute("SELECT name FROM migrations ORDER BY rowid")]


def pending(db: sqlite3.Connection) -> list[Migration]:
    """The migrations the database lacks (reads only)."""
    done = set(applied(db))
    return [m for m in MIGRATIONS if m.__name__ not in done]


def migrate(db: sqlite3.Connection, *, where: str) -> None:
    """Bring the database up to date, each pending migration in its own transaction.

    db: a connection in autocommit mode (``isolation_level=None``).
    where (str): the database's name, for messages.
    Raises ``StoreError`` (E031) when the database has migrations this version does not know.
    """
    db.execute("CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    unknown = set(applied(db)) - {m.__name__ for m in MIGRATIONS}
    if unknown:
        raise StoreError(Messages.E031.format(where=where, names=", ".join(sorted(unknown))))
    for migration in pending(db):
        db.execute("BEGIN IMMEDIATE")
        try:
            # Another process may have run it while this one waited for the lock.
            if not db.execute("SELECT 1 FROM migrations WHERE name = ?", (migration.__name__,)).fetchone():
                migration(db)
                db.execute("INSERT INTO migrations (name, applied_at) VALUES (?, ?)",
                           (migration.__name__, datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")))
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
