"""Where a corpus lives: articles, their quotes and people, and the clusters across them."""
from .base import Article, Extraction, Store
from .sqlite import SqliteStore

__all__ = ["Article", "Extraction", "SqliteStore", "Store"]
