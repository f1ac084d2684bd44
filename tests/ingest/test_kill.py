"""Killed at any moment and run again, ingest ends with exactly the database an uninterrupted run gives.

A real ``quotegraph ingest`` process (and, with ``--jobs 2``, its workers) is
SIGKILLed again and again on the same database, each time a little further
into the work: while the database is being created and migrated, while the
model loads, and at staggered moments after the database holds 4, 10, 18 and
24 articles, so that kills fall during extraction, during a transaction and
between transactions. ``--batch 2`` makes a commit every two articles, so the
process is always close to one. Then one more run finishes the job, and its
database must equal, table by table and row by row, that of a run nobody
interrupted (``canonical_dump``): nothing lost, nothing doubled, and the
quote clusters and merged people the same as well.
"""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from ingest_fixtures import (
    FIXTURES,
    canonical_dump,
    fictional_articles,
    write_jsonl,
    write_warc,
)

import quotegraph

pytestmark = pytest.mark.slow

SRC = Path(quotegraph.__file__).resolve().parents[1]
# (articles stored, seconds after that, jobs): when each run is killed.
KILLS = [(0, 0.0, 1), (0, 0.5, 1), (4, 0.05, 1), (10, 0.13, 2), (18, 0.0, 1), (24, 0.21, 1)]
WAIT_SECONDS = 300


def command(inputs: Path, db: Path, jobs: int) -> list[str]:
    return [sys.executable, "-c", "from quotegraph.cli import main; main()", "ingest", str(inputs),
            "--db", str(db), "--batch", "2", "--jobs", str(jobs), "--no-progress"]


def environment() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")])}


def stored_articles(db: Path) -> int | None:
    """How many articles another process has committed, or None before the table exists."""
    try:
        reader = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    except sqlite3.Error:
        return None  # not created yet
    try:
        return reader.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.Error:
        return None  # not migrated yet
    finally:
        reader.close()


def run_and_kill(inputs: Path, db: Path, stored: int, delay: float, jobs: int) -> bool:
    """Start an ingest and SIGKILL it ``delay`` seconds after ``db`` holds ``stored`` articles.

    RETURNS (bool): whether it was killed while still working, not after finishing.
    """
    process = subprocess.Popen(command(inputs, db, jobs), env=environment(), start_new_session=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + WAIT_SECONDS
    while process.poll() is None and time.monotonic() < deadline:
        count = stored_articles(db)
        if count is not None and count >= stored:
            break
        time.sleep(0.01)
    time.sleep(delay)
    working = process.poll() is None
    os.killpg(process.pid, signal.SIGKILL)  # the ingest process and its workers
    process.wait()
    return working and process.returncode == -signal.SIGKILL


def finish(inputs: Path, db: Path) -> None:
    done = subprocess.run(command(inputs, db, 1), env=environment(), capture_output=True, text=True,
                          timeout=WAIT_SECONDS, check=False)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr


@pytest.fixture
def inputs(tmp_path):
    folder = tmp_path / "in"
    articles = list(fictional_articles(30))
    # A second record of the first URL: which one wins must not depend on where a run was cut.
    write_jsonl(folder / "feed.jsonl", [*articles, dict(articles[5], url=articles[0]["url"])])
    (folder / "pier.html").write_bytes((FIXTURES / "pier-repairs.html").read_bytes())
    write_warc(folder / "crawl.warc.gz", [
        ("https://skarrow-islander.example/ferry", "text/html", 200, (FIXTURES / "ferry-timetable.html").read_bytes())])
    (folder / "index.html").write_bytes((FIXTURES / "section-index.html").read_bytes())
    return folder


def test_kill_at_any_moment_and_rerun_gives_the_uninterrupted_database(inputs, tmp_path):
    reference = tmp_path / "uninterrupted.db"
    finish(inputs, reference)
    expected = canonical_dump(reference)
    total = len(expected["articles"])
    assert total == 32
    # The same quote across the fictional outlets makes clusters of several occurrences.
    assert expected["corpus_state"] == [("clusters_stale", 0)]
    assert len(expected["cluster_members"]) > len(expected["clusters"]) > 0

    db = tmp_path / "killed.db"
    landed = [run_and_kill(inputs, db, stored, delay, jobs) for stored, delay, jobs in KILLS]
    assert all(landed), f"runs that finished before their kill: {landed}"
    assert stored_articles(db) < total
    finish(inputs, db)
    assert canonical_dump(db) == expected
