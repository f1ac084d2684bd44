"""The corpus the query tests read: the bundled samples, ingested once through the CLI into a real SQLite file."""
from __future__ import annotations

import pytest
from cli_helpers import run


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory) -> str:
    """``quotegraph ingest --sample`` into a fresh database; the tests only read it."""
    db = str(tmp_path_factory.mktemp("corpus") / "sample.db")
    result = run("ingest", "--sample", "--db", db, "--no-progress")
    assert result.exit_code == 0, result.output
    return db
