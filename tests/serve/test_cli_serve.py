"""``quotegraph serve``: bad arguments end in one error line; the real command serves the corpus,
with the token read from the environment variable it names."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from urllib.parse import urlsplit, urlunsplit

import httpx2
import pytest
from cli_helpers import assert_one_line_error, run
from serve_helpers import free_port

from quotegraph.store.backends import shown

pytestmark = pytest.mark.slow


def with_password(url: str, password: str) -> str:
    """``url`` with ``password`` in its user part, unless it names a user with a password already."""
    parts = urlsplit(url)
    if parts.password is not None or "@" not in parts.netloc:
        return url
    user, host = parts.netloc.split("@", 1)
    return urlunsplit(parts._replace(netloc=f"{user}:{password}@{host}"))


def test_serve_refuses_a_missing_database(tmp_path):
    assert_one_line_error(run("serve", "--db", str(tmp_path / "missing.db")), "E033")


def test_serve_help_teaches_the_routes_and_the_token():
    help_text = run("serve", "--help").stdout
    for words in ("/api/quotes", "/extract", "--token-env", "Bearer", "http://127.0.0.1:8000"):
        assert words in help_text, words


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_serve_command_serves_and_reads_its_token_from_the_environment(sample_corpora, backend):
    sample_db = sample_corpora(backend)
    if backend == "postgresql":  # with a password, which must not be printed (the test server trusts any)
        sample_db = with_password(sample_db, "never-printed")
    port = free_port()
    env = {**os.environ, "NEWSROOM_TOKEN": "from-the-env"}
    server = subprocess.Popen(
        [sys.executable, "-c", "from quotegraph.cli import main; main()", "serve", "--db", sample_db,
         "--port", str(port), "--token-env", "NEWSROOM_TOKEN"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                stats = httpx2.get(url + "/api/stats", timeout=2)
                break
            except httpx2.TransportError:
                assert server.poll() is None and time.monotonic() < deadline, server.communicate()[1]
                time.sleep(0.2)
        assert stats.status_code == 200 and stats.json()["articles"] == 10
        assert "server" not in stats.headers
        home = httpx2.get(url + "/", timeout=10)
        assert home.status_code == 200 and "quotegraph" in home.text
        wrong = httpx2.post(url + "/api/articles", json={"text": "x"}, headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 401  # writing is on: the token came from $NEWSROOM_TOKEN
    finally:
        server.terminate()
        _, err = server.communicate(timeout=10)
    assert f"Serving {shown(sample_db)} at http://127.0.0.1:{port}" in err and "writing on" in err
    assert "never-printed" not in err
