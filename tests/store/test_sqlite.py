"""What only the SQLite store has: its file settings and how it refuses a file it cannot use.

``test_store.py`` holds it, with PostgreSQL, to the results every store gives.
"""
from __future__ import annotations

import pytest

from quotegraph.errors import StoreError
from quotegraph.store import SqliteStore


def test_sqlite_file_settings(tmp_path):
    store = SqliteStore(tmp_path / "corpus.db")
    assert store.db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert store.db.execute("PRAGMA foreign_keys").fetchone() == (1,)
    store.close()


def test_sqlite_not_a_database_is_refused(tmp_path):
    path = tmp_path / "notes.db"
    path.write_bytes(b"These are my notes, not a database. " * 100)
    with pytest.raises(StoreError, match="E030 .*notes.db: not a quotegraph database"):
        SqliteStore(path)


def test_sqlite_cannot_open_is_reported(tmp_path):
    with pytest.raises(StoreError, match="E032 .*cannot open"):
        SqliteStore(tmp_path / "no such folder" / "corpus.db")
