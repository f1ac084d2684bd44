"""``quotegraph ingest``: help, the summary, warnings for bad input, one-line errors."""
from __future__ import annotations

import pytest
from cli_helpers import assert_one_line_error, run
from ingest_fixtures import FIXTURES, fictional_articles, write_jsonl

from quotegraph import Corpus




def test_cli_ingest_help_teaches_formats_identity_and_reruns():
    result = run("ingest", "--help")
    assert result.exit_code == 0
    for words in ("*.jsonl.gz", "*.warc.gz", "*.html", "trafilatura", "normalised", "hash of its text",
                  "run the same command again", "--db FILE", "--jobs N", "--batch N"):
        assert words in result.output, words
    assert "quotegraph ingest" in run("--help").output


def test_cli_ingest_needs_a_path():
    result = run("ingest")
    assert result.exit_code == 2 and "PATH" in result.stderr


def test_cli_ingest_missing_path_is_one_line(tmp_path):
    result = run("ingest", str(tmp_path / "nowhere.jsonl"), "--db", str(tmp_path / "c.db"))
    assert_one_line_error(result, "E010")


def test_cli_ingest_not_a_database_is_one_line(tmp_path):
    (tmp_path / "notes.db").write_text("shopping list\n" * 200, encoding="utf-8")
    result = run("ingest", str(FIXTURES / "pier-repairs.html"), "--db", str(tmp_path / "notes.db"))
    assert_one_line_error(result, "E030")


def test_cli_ingest_nothing_readable_warns_then_fails(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "index.html").write_bytes((FIXTURES / "section-index.html").read_bytes())
    (tmp_path / "in" / "photo.txt").write_bytes(b"\x89PNG\x00\x00")
    result = run("ingest", str(tmp_path / "in"), "--db", str(tmp_path / "c.db"))
    assert result.exit_code == 1
    warnings, error = result.stderr.strip().splitlines()[:-1], result.stderr.strip().splitlines()[-1]
    assert [w.split()[1] for w in warnings] == ["E020", "E013"]
    assert error == "Error: E018 no readable article in the input (2 skipped)"


@pytest.mark.slow
def test_cli_ingest_summary_and_warnings(tmp_path):
    feed = write_jsonl(tmp_path / "feed.jsonl", fictional_articles(3))
    with feed.open("a", encoding="utf-8") as out:
        out.write("{not json\n")
    db = str(tmp_path / "c.db")
    result = run("ingest", str(feed), str(FIXTURES / "pier-repairs.html"), "--db", db)
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("Warning: E015 ") and "feed.jsonl, line 4" in result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Read 4 articles in ") and lines[0].endswith(
        "4 added, 0 replaced, 0 unchanged, 0 duplicates.")
    assert lines[2] == "Could not read 1 input (reported above, with why)."
    with Corpus(db) as corpus:
        counts = corpus.counts()
    assert lines[3] == f"{db} holds 4 articles, {counts['quotes']} quotes, {counts['people']} people."
    again = run("ingest", str(feed), str(FIXTURES / "pier-repairs.html"), "--db", db)
    assert "0 added, 0 replaced, 4 unchanged" in again.stdout
