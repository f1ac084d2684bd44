"""Fixtures shared by the whole test suite."""
from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from cli_helpers import run

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The shared folder beside the repository (``../shared``: dev data, examples, grader).

    CI lays it there; elsewhere the tests that need it are skipped.
    """
    path = REPO.parent / "shared"
    if not path.is_dir():
        pytest.skip(f"needs the shared folder at {path} (dev data and examples), which is absent")
    return path


@pytest.fixture(scope="session")
def sample_db(sample_corpora) -> str:
    """The bundled samples, ingested once through ``quotegraph ingest --sample`` into a real SQLite file;
    the tests only read it."""
    return sample_corpora("sqlite")


@pytest.fixture(scope="session")
def sample_corpora(request, tmp_path_factory) -> Callable[[str], str]:
    """Gives the sample corpus of a backend ("sqlite" or "postgresql"), ingested on first request
    through the CLI, once a session: the tests only read it (a test that writes copies it)."""
    made: dict[str, str] = {}

    def sample(backend: str) -> str:
        if backend not in made:
            if backend == "sqlite":
                db = str(tmp_path_factory.mktemp("corpus") / "sample.db")
            else:
                db = request.getfixturevalue("new_postgres_database")()
            result = run("ingest", "--sample", "--db", db, "--no-progress")
            assert result.exit_code == 0, result.output
            made[backend] = db
        return made[backend]

    return sample


# -- PostgreSQL: the second store backend ---------------------------------------------------
# scripts/test starts a throwaway server (scripts/pg-throwaway) and names it in
# QUOTEGRAPH_TEST_POSTGRES; each test that asks gets a database of its own on it.

POSTGRES_ENV = "QUOTEGRAPH_TEST_POSTGRES"


@pytest.fixture(scope="session")
def postgres_server() -> str:
    """The URL of a PostgreSQL database whose user may create databases (``QUOTEGRAPH_TEST_POSTGRES``).

    Unset, the PostgreSQL tests skip, except in CI, where scripts/test must have started a server.
    """
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        reason = (f"needs PostgreSQL: set {POSTGRES_ENV} to a postgresql:// URL (scripts/test starts a "
                  "throwaway server when PostgreSQL is installed or it runs as root)")
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; in CI it must be set")
        pytest.skip(reason)
    pytest.importorskip("psycopg", reason="needs psycopg: pip install -e '.[test]'")
    return url


def _drop(server: str, url: str) -> None:
    import psycopg

    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{urlsplit(url).path.lstrip("/")}" WITH (FORCE)')


@pytest.fixture(scope="session")
def new_postgres_database(postgres_server: str) -> Iterator[Callable[[], str]]:
    """Makes a new empty database on the test server and gives its URL; the session drops them all."""
    import psycopg

    made = []

    def new() -> str:
        name = f"quotegraph_test_{uuid.uuid4().hex[:16]}"
        with psycopg.connect(postgres_server, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        made.append(urlunsplit(urlsplit(postgres_server)._replace(path=f"/{name}")))
        return made[-1]

    yield new
    for url in made:
        _drop(postgres_server, url)


@pytest.fixture
def postgres_url(postgres_server: str, new_postgres_database: Callable[[], str]) -> Iterator[str]:
    """A fresh PostgreSQL database for one test, dropped after it."""
    url = new_postgres_database()
    yield url
    _drop(postgres_server, url)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_where(request, tmp_path) -> str:
    """Where a test's corpus lives, once per backend: a new SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "corpus.db")
    return request.getfixturevalue("postgres_url")
