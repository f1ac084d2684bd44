"""The corpus the query tests read: the bundled samples, ingested once per backend through the CLI,
into a real SQLite file and into a PostgreSQL database."""
from __future__ import annotations

from collections.abc import Callable

import pytest
from cli_helpers import run


@pytest.fixture(scope="session")
def sample_corpora(request, tmp_path_factory) -> Callable[[str], str]:
    """Gives the sample corpus of a backend ("sqlite" or "postgresql"), ingested on first request."""
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


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def sample_db(request, sample_corpora) -> str:
    """``quotegraph ingest --sample`` into a fresh database of each backend; the tests only read it."""
    return sample_corpora(request.param)
