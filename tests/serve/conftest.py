"""What the serve tests share: corpora, the app in-process, and a real server on a loopback port.

``sample_db`` (tests/conftest.py) is the bundled sample corpus, which these tests only read;
tests that write get their own copy. ``hostile_db`` is the sample corpus plus an article whose
text, title, URL, outlet and quotes are full of HTML and script payloads.
"""
from __future__ import annotations

import socket
import sqlite3
import threading
import time
from collections.abc import Iterator

import pytest

pytest.importorskip("fastapi", reason="needs the serve extra: pip install 'quotegraph[serve]'")

import uvicorn  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402

from quotegraph import Corpus  # noqa: E402
from quotegraph.serve import create_app  # noqa: E402

TOKEN = "test-token-7f3a"
PAYLOAD = '<script>alert("xss")</script>'
HOSTILE = {
    "id": "hostile",
    "url": 'javascript:alert("url")//<script>alert(1)</script>',
    "title": f'Pier vote {PAYLOAD} "><img src=x onerror=alert("title")>',
    "outlet": '"><svg onload=alert("outlet")> Gazette',
    "date": "2026-06-01",
    "text": (
        f"The harbour board met on Thursday {PAYLOAD}. "
        '"We will rebuild the <script>alert("quote")</script> pier <img src=x onerror=alert(2)>," '
        "said Elsa Marwood, who chairs the board. "
        "She said that javascript:alert(3) and <a href=\"javascript:alert(4)\">this link</a> "
        "were never part of the plan.\n\n"
        '"Nobody <b onmouseover=alert(5)>bold</b> will stop the pier," Marwood added.'
    ),
}


def copy_db(source: str, target: str) -> str:
    """A consistent copy of a SQLite corpus (SQLite's backup API, WAL included)."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    return target


@pytest.fixture(scope="session")
def client(sample_db) -> Iterator[TestClient]:
    """The app over the sample corpus, in-process, writing off; no rate limit to trip over."""
    with TestClient(create_app(sample_db, rate=None)) as client:
        yield client


@pytest.fixture(scope="session")
def hostile_db(sample_db, tmp_path_factory) -> str:
    db = copy_db(sample_db, str(tmp_path_factory.mktemp("hostile") / "hostile.db"))
    with Corpus(db) as corpus:
        corpus.ingest(["-"], stdin=_jsonl([HOSTILE]))
    return db


def _jsonl(records):
    import io
    import json

    return io.BytesIO("".join(json.dumps(r) + "\n" for r in records).encode())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    """uvicorn serving an app on a free loopback port, in a thread, until ``stop``."""

    def __init__(self, app) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.05)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
