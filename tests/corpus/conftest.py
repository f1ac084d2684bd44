"""The corpus the query tests read: the bundled samples, ingested once per backend through the CLI
(``sample_corpora``, tests/conftest.py), into a real SQLite file and into a PostgreSQL database."""
from __future__ import annotations

import pytest


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def sample_db(request, sample_corpora) -> str:
    """``quotegraph ingest --sample`` into a fresh database of each backend; the tests only read it."""
    return sample_corpora(request.param)
