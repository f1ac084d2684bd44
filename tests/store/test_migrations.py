"""Named migrations, on each backend: recorded once, each in one transaction, and a newer database refused."""
from __future__ import annotations

import pytest

from quotegraph.errors import StoreError
from quotegraph.store import migrations, open_store
from quotegraph.store.backends import is_postgres


def schema_of(where: str):
    """The migrations module that builds ``where``'s schema."""
    if is_postgres(where):
        from quotegraph.store import postgres_migrations

        return postgres_migrations
    return migrations


def names(where: str) -> list[str]:
    store = open_store(where)
    try:
        return schema_of(where).applied(store.db)
    finally:
        store.close()


def test_migrations_run_once_in_order(db_where):
    store = open_store(db_where)
    expected = [m.__name__ for m in schema_of(db_where).MIGRATIONS]
    assert schema_of(db_where).applied(store.db) == expected == [
        "articles_quotes_people", "full_text_search", "clusters_and_merged_people", "clusters_staleness"]
    store.close()
    store = open_store(db_where)
    assert schema_of(db_where).pending(store.db) == []
    store.close()
    assert names(db_where) == expected


def test_migrations_newer_database_is_refused(db_where):
    store = open_store(db_where)
    store.db.execute("INSERT INTO migrations (name, applied_at) VALUES ('speakers_by_decade', '2031-01-01')")
    store.close()
    with pytest.raises(StoreError, match="E031 .*newer quotegraph .*speakers_by_decade"):
        open_store(db_where)


def test_migrations_a_failing_migration_leaves_nothing(db_where, monkeypatch):
    def half_done(db) -> None:
        db.execute("CREATE TABLE outlets (name TEXT)")
        db.execute("CREATE TABLE outlets (name TEXT)")  # fails: the table exists

    schema = schema_of(db_where)
    monkeypatch.setattr(schema, "MIGRATIONS", (*schema.MIGRATIONS, half_done))
    with pytest.raises(StoreError, match="E030"):
        open_store(db_where)
    monkeypatch.undo()
    store = open_store(db_where)
    assert store.db.execute("SELECT count(*) FROM migrations WHERE name = 'half_done'").fetchone()[0] == 0
    # The table the failed migration made went with it: a migration that makes it now succeeds.
    store.db.execute("CREATE TABLE outlets (name TEXT)")
    store.close()
    assert names(db_where) == [m.__name__ for m in schema.MIGRATIONS]
