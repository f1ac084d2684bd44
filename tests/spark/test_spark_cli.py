"""The Spark commands' help and their one-line errors: missing paths, existing output, wrong folders, no Java."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest
from cli_helpers import assert_one_line_error, run
from ingest.ingest_fixtures import fictional_articles, write_jsonl

from quotegraph import Corpus


@pytest.mark.parametrize(("command", "words"), [
    (["spark"], ["pip install 'quotegraph[spark]'", "spark-submit", "hdfs://", "quotegraph load"]),
    (["spark", "extract"], ["*.parquet", "*.warc", "articles/", "occurrences/", "people/", "loads the model once"]),
    (["spark", "cluster"], ["MinHash", "quoteID", "probas", "occurrences"]),
    (["load"], ["--clusters", "--db", "web UI", "pyarrow"]),
])
def test_spark_cli_help_teaches(command, words):
    result = run(*command, "--help")
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())
    for word in words:
        assert word in text, word


def test_spark_extract_missing_input_is_one_line_error(spark, tmp_path):
    assert_one_line_error(run("spark", "extract", str(tmp_path / "nowhere.jsonl"), str(tmp_path / "out")), "E010")


def test_spark_extract_will_not_overwrite_without_asking(spark, articles_file, tmp_path):
    (tmp_path / "out").mkdir()
    assert_one_line_error(run("spark", "extract", str(articles_file), str(tmp_path / "out")), "E083")


def test_spark_cluster_needs_an_extract_output(spark, tmp_path):
    (tmp_path / "empty").mkdir()
    assert_one_line_error(run("spark", "cluster", str(tmp_path / "empty"), str(tmp_path / "quotes")), "E082")
    assert_one_line_error(run("spark", "cluster", str(tmp_path / "nowhere"), str(tmp_path / "quotes")), "E010")


def test_load_errors(spark_out, spark_quotes, tmp_path):
    db = str(tmp_path / "news.db")
    assert_one_line_error(run("load", str(tmp_path / "nowhere"), "--db", db), "E010")
    (tmp_path / "empty").mkdir()
    assert_one_line_error(run("load", str(tmp_path / "empty"), "--db", db), "E082")
    assert_one_line_error(run("load", spark_out, "--clusters", str(tmp_path / "empty"), "--db", db), "E082")


def test_load_clusters_refuses_a_database_holding_other_articles(spark_out, spark_quotes, tmp_path):
    db = tmp_path / "news.db"
    with Corpus(db) as corpus:
        corpus.ingest([str(write_jsonl(tmp_path / "other.jsonl", fictional_articles(2)))])
    assert_one_line_error(run("load", spark_out, "--clusters", spark_quotes, "--db", str(db)), "E084")


def test_spark_without_java_is_one_line_error(tmp_path):
    env = {**os.environ, "JAVA_HOME": str(tmp_path)}  # a JAVA_HOME without bin/java
    done = subprocess.run([sys.executable, "-m", "quotegraph.spark", "extract", "in.jsonl", str(tmp_path / "out")],
                          env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.strip().splitlines() == [done.stderr.strip()] and done.stderr.startswith("Error: E081 ")
