"""Which store a ``--db`` names: a SQLite file by its path, a PostgreSQL database by its URL.

The one place that tells the two apart, so ingest, every query command and
``Corpus`` take either form the same way.
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

from ..errors import Messages, StoreError
from .base import Store

SCHEMES = ("postgresql://", "postgres://")


def is_postgres(where: str | Path) -> bool:
    """Whether ``where`` is a PostgreSQL URL (``postgresql://...`` or ``postgres://...``) rather than a path."""
    return isinstance(where, str) and where.lower().startswith(SCHEMES)


def shown(where: str | Path) -> str:
    """``where`` fit for messages: a URL without its password (in the user part or ``?password=``)."""
    if not is_postgres(where):
        return str(where)
    parts = urlsplit(str(where))
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    if parts.password is None and all(k != "password" for k, _ in pairs):
        return str(where)
    netloc = parts.netloc
    if "@" in netloc:
        user, host = netloc.rsplit("@", 1)
        netloc = f"{user.split(':', 1)[0]}@{host}"
    query = urlencode([(k, v) for k, v in pairs if k != "password"], safe="/")
    return f"{parts.scheme}://{netloc}{parts.path}" + (f"?{query}" if query else "")


def open_store(where: str | Path, *, create: bool = True) -> Store:
    """The store at ``where``, brought up to date with its migrations.

    where: a SQLite file (``":memory:"`` for a throwaway one) or a PostgreSQL URL.
    create (bool): make the corpus when there is none; when False that is an error
        (E033), as the query commands want, and nothing is created.
    Raises ``StoreError``: E033 as above, E034 when PostgreSQL's driver is not
    installed, and what ``SqliteStore`` and ``PostgresStore`` raise.
    """
    if is_postgres(where):
        try:
            from .postgres import PostgresStore
        except ImportError as exc:  # psycopg is the optional extra's
            raise StoreError(Messages.E034.format(where=shown(where))) from exc
        return PostgresStore(str(where), create=create)
    from .sqlite import SqliteStore

    if not create and str(where) != ":memory:" and not Path(where).is_file():
        raise StoreError(Messages.E033.format(where=where))
    return SqliteStore(where)
