"""Named migrations: recorded once, each in one transaction, and a newer database refused."""
from __future__ import annotations

import sqlite3

import pytest

from quotegraph.errors import StoreError
from quotegraph.store import SqliteStore, migrations


def names(path) -> list[str]:
    with sqlite3.connect(path) as db:
        return [name for (name,) in db.execute("SELECT name FROM migrations ORDER BY rowid")]


def test_migrations_run_once_in_order(tmp_path):
    path = tmp_path / "corpus.db"
    SqliteStore(path).close()
    expected = [m.__name__ for m in migrations.MIGRATIONS]
    assert names(path) == expected == [
        "articles_quotes_people", "full_text_search", "clusters_and_merged_people", "clusters_staleness"]
    store = SqliteStore(path)
    assert migrations.pending(store.db) == []
    store.close()
    assert names(path) == expected


def test_migrations_newer_database_is_refused(tmp_path):
    path = tmp_path / "corpus.db"
    SqliteStore(path).close()
    with sqlite3.connect(path) as db:
        db.execute("INSERT INTO migrations VALUES ('speakers_by_decade', '2031-01-01')")
    with pytest.raises(StoreError, match="E031 .*newer quotegraph .*speakers_by_decade"):
        SqliteStore(path)


def test_migrations_a_failing_migration_leaves_nothing(tmp_path, monkeypatch):
    def half_done(db: sqlite3.Connection) -> None:
        db.execute("CREATE TABLE outlets (name TEXT)")
        db.execute("CREATE TABLE outlets (name TEXT)")  # fails: the table exists

    monkeypatch.setattr(migrations, "MIGRATIONS", (*migrations.MIGRATIONS, half_done))
    path = tmp_path / "corpus.db"
    with pytest.raises(StoreError, match="E030"):
        SqliteStore(path)
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT name FROM sqlite_master WHERE name = 'outlets'").fetchall() == []
    assert "half_done" not in names(path)
    assert len(names(path)) == len(migrations.MIGRATIONS) - 1
