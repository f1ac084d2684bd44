"""Must-show 1: the same articles through the local path (``quotegraph ingest``) and through Spark
(``spark extract``, ``spark cluster``, ``load``) give the same quotes, speakers, people and clusters."""
from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from io import StringIO

from cli_helpers import run
from ingest.ingest_fixtures import canonical_dump
from spark_helpers import dataset

from quotegraph import Corpus
from quotegraph.export import COLUMNS
from quotegraph.spark import datasets


def test_spark_extract_gives_the_quotes_speakers_and_people_of_local_ingest(local_db, spark_out):
    occurrences, people = defaultdict(list), defaultdict(list)
    for row in dataset(spark_out, "occurrences"):
        occurrences[row["number"]].append(row)
    for row in dataset(spark_out, "people"):
        people[row["number"]].append(row)
    articles = dataset(spark_out, "articles")
    with Corpus(local_db, create=False) as corpus:
        keys = [k for (k,) in sqlite3.connect(local_db).execute("SELECT key FROM articles ORDER BY id")]
        assert [a["key"] for a in articles] == keys  # same articles, numbered in input order
        for row in articles:
            article = datasets.article_of(row)
            stored, result = corpus.article(article.key)
            assert article == stored
            assert datasets.result_of(article, occurrences[row["number"]], people[row["number"]]) == result
    assert sum(map(len, occurrences.values())) > 50
    assert {r["type"] for rows in occurrences.values() for r in rows} == {"direct", "partial", "indirect"}


def spark_to_local(spark_out: str, local_db: str) -> dict[int, int]:
    """Each Spark occurrence key's id in the local database: the n-th quote of the same article."""
    local = defaultdict(list)
    for key, article in sqlite3.connect(local_db).execute(
            "SELECT q.id, a.key FROM quotes q JOIN articles a ON a.id = q.article ORDER BY q.id"):
        local[article].append(key)
    return {r["key"]: local[r["article"]][r["position"]] for r in dataset(spark_out, "occurrences")}


def test_spark_cluster_gives_the_quotes_of_local_export(local_db, spark_out, spark_quotes):
    with Corpus(local_db, create=False) as corpus:
        out = StringIO()
        corpus.export(out)
    expected = {row["quoteID"]: row for row in map(json.loads, out.getvalue().splitlines())}
    members = defaultdict(set)
    for key, cluster in sqlite3.connect(local_db).execute("SELECT quote, cluster FROM cluster_members"):
        members[cluster].add(key)
    local_id = spark_to_local(spark_out, local_db)
    found = {}
    for row in dataset(spark_quotes):
        keys = {local_id[k] for k in row.pop("occurrences")}
        row["quoteID"] = min(keys)
        assert keys == members[row["quoteID"]]
        row["probas"] = [[p["speaker"], p["proba"]] for p in row["probas"]]
        found[row["quoteID"]] = row
    assert list(found[min(found)]) == list(COLUMNS)
    assert found == expected
    assert any(r["numOccurrences"] > 2 for r in found.values()) and any(r["altered"] for r in found.values())


def test_spark_output_loaded_is_the_database_local_ingest_makes(local_db, spark_out, spark_quotes, tmp_path):
    db = str(tmp_path / "loaded.db")
    result = run("load", spark_out, "--clusters", spark_quotes, "--db", db)
    assert result.exit_code == 0, result.output
    assert canonical_dump(db) == canonical_dump(local_db)
    again = run("load", spark_out, "--clusters", spark_quotes, "--db", db)
    assert again.exit_code == 0 and "0 written" in again.stdout, again.output
    assert canonical_dump(db) == canonical_dump(local_db)


def test_load_without_clusters_clusters_in_the_store(local_db, spark_out, tmp_path):
    db = str(tmp_path / "loaded.db")
    result = run("load", spark_out, "--db", db)
    assert result.exit_code == 0, result.output
    assert canonical_dump(db) == canonical_dump(local_db)


def test_spark_output_loads_into_postgresql_as_into_sqlite(local_db, spark_out, spark_quotes, postgres_url):
    result = run("load", spark_out, "--clusters", spark_quotes, "--db", postgres_url)
    assert result.exit_code == 0, result.output
    exported = []
    for db in (local_db, postgres_url):
        with Corpus(db, create=False) as corpus:
            out = StringIO()
            corpus.export(out)
            exported.append((out.getvalue(), corpus.stats(), corpus.people(top=None)))
    assert exported[0] == exported[1]
