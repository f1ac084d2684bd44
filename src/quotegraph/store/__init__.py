"""Where a corpus lives: articles, their quotes and people, and the clusters across them.

``open_store`` opens the store a ``--db`` names: ``SqliteStore`` for a file,
``PostgresStore`` (``quotegraph.store.postgres``, the ``postgres`` extra) for a
``postgresql://`` URL.
"""
from .backends import open_store
from .base import Article, Extraction, Store
from .sqlite import SqliteStore

__all__ = ["Article", "Extraction", "SqliteStore", "Store", "open_store"]
