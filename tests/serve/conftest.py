"""The serve tests' fixtures: the app in-process over the sample corpus, and a hostile corpus.

``sample_db`` (tests/conftest.py) is the bundled sample corpus, which these tests only read;
tests that write get their own copy (``serve_helpers.copy_db``). ``hostile_db`` is the sample
corpus plus an article whose text, title, URL, outlet and quotes are full of HTML and script
payloads (``serve_helpers.HOSTILE``).
"""
from __future__ import annotations

from collections.abc import Iterator

import pytest

pytest.importorskip("fastapi", reason="needs the serve extra: pip install 'quotegraph[serve]'")

from fastapi.testclient import TestClient  # noqa: E402
from serve_helpers import HOSTILE, copy_db, jsonl  # noqa: E402

from quotegraph import Corpus  # noqa: E402
from quotegraph.serve import create_app  # noqa: E402


@pytest.fixture(scope="session")
def client(sample_db) -> Iterator[TestClient]:
    """The app over the sample corpus, in-process, writing off; no rate limit to trip over."""
    with TestClient(create_app(sample_db, rate=None)) as client:
        yield client


@pytest.fixture(scope="session")
def hostile_db(sample_db, tmp_path_factory) -> str:
    db = copy_db(sample_db, str(tmp_path_factory.mktemp("hostile") / "hostile.db"))
    with Corpus(db) as corpus:
        corpus.ingest(["-"], stdin=jsonl([HOSTILE]))
    return db
