"""The query commands on a missing or an empty database: a clear word, never a traceback."""
from __future__ import annotations

import json

from cli_helpers import assert_one_line_error, run

from quotegraph import Corpus


def test_corpus_cli_missing_database_is_one_line_and_not_created(tmp_path):
    db = tmp_path / "nowhere.db"
    for args in (("search", "ferry"), ("quote", "1"), ("people",), ("person", "Marchbank"), ("stats",),
                 ("export",)):
        assert_one_line_error(run(*args, "--db", str(db)), "E033")
    assert not db.exists()


def test_corpus_cli_empty_database_says_how_to_fill_it(db_where):
    db = db_where
    Corpus(db).close()
    hint = f"Warning: {db} holds no articles yet: add some with `quotegraph ingest PATH --db {db}`\n"
    for args, output in ((("search", "ferry"), "No quote matches.\n"), (("people",), "No people in this corpus yet.\n"),
                         (("export",), "")):
        result = run(*args, "--db", db)
        assert result.exit_code == 0 and (result.stderr, result.stdout) == (hint, output)
    stats = run("stats", "--db", db, "--format", "json")
    assert stats.exit_code == 0 and json.loads(stats.stdout)["articles"] == 0
    assert run("stats", "--db", db).stdout.startswith(f"{db}: 0 articles from 0 outlets, ? to ?")
    missing = run("quote", "1", "--db", db)
    assert missing.exit_code == 1 and missing.stderr == hint + f"Error: E052 no quote 1 in {db}; " \
        "`quotegraph search WORDS` finds quote ids\n"
