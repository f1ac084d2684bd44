"""The Spark jobs on each input format, through spark-submit, and their parts (connected components)."""
from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

from ingest.ingest_fixtures import write_warc
from spark_helpers import dataset

import quotegraph
from quotegraph import Corpus
from quotegraph.spark import datasets
from quotegraph.spark.cluster import components
from quotegraph.spark.extract import extract

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ingest"
SAMPLES = 10  # the articles file opens with the ten samples


def test_spark_extract_reads_parquet_as_it_reads_jsonl(spark, articles_file, spark_out, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    lines = articles_file.read_text(encoding="utf-8").splitlines()[:SAMPLES]
    records = [json.loads(line) for line in lines]
    for number, record in enumerate(records):  # the ids JSONL gives lines without one
        record.setdefault("id", f"articles:{number + 1}")
    pq.write_table(pa.Table.from_pylist(records), tmp_path / "articles.parquet")
    stats = extract(spark, [str(tmp_path / "articles.parquet")], str(tmp_path / "out"))
    assert stats.articles == SAMPLES
    for name in ("articles", "occurrences", "people"):
        expected = [row for row in dataset(spark_out, name) if row["number"] < SAMPLES]
        assert dataset(tmp_path / "out", name) == expected, name


def test_spark_extract_reads_a_warc_crawl_as_ingest_does(spark, tmp_path):
    pages = [(f"https://harbour-gazette.example/{page.stem}", "text/html", 200, page.read_bytes())
             for page in sorted(FIXTURES.glob("*.html"))]
    crawl = write_warc(tmp_path / "crawl.warc.gz", pages)
    with Corpus(tmp_path / "local.db") as corpus:
        local = corpus.ingest([str(crawl)])
        stats = extract(spark, [str(crawl)], str(tmp_path / "out"))
        assert (stats.articles, stats.skipped) == (local.added, local.skipped) and local.skipped >= 1
        quotes = dataset(tmp_path / "out", "occurrences")
        people = dataset(tmp_path / "out", "people")
        for row in dataset(tmp_path / "out", "articles"):
            article = datasets.article_of(row)
            assert article.url.startswith("https://harbour-gazette.example/")
            result = datasets.result_of(article, [q for q in quotes if q["number"] == row["number"]],
                                        [p for p in people if p["number"] == row["number"]])
            assert corpus.article(article.key) == (article, result)
    assert quotes


def test_spark_submit_runs_the_cluster_job(spark, spark_out, spark_quotes, tmp_path):
    """The job file spark-submit is given, run by the spark-submit that pyspark installs."""
    import pyspark

    submit = Path(pyspark.__file__).parent / "bin" / "spark-submit"
    job = Path(quotegraph.__file__).parent / "spark" / "__main__.py"
    source = str(Path(quotegraph.__file__).parents[1])
    env = {**os.environ, "PYSPARK_PYTHON": sys.executable, "PYSPARK_DRIVER_PYTHON": sys.executable,
           "SPARK_LOCAL_IP": "127.0.0.1", "PYTHONPATH": os.pathsep.join([source, os.environ.get("PYTHONPATH", "")])}
    out = tmp_path / "quotes"
    done = subprocess.run([str(submit), "--master", "local[1]", "--conf", "spark.ui.enabled=false",
                           str(job), "cluster", spark_out, str(out)],
                          env=env, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Clustered into" in done.stdout
    assert dataset(out) == dataset(spark_quotes)


def connected(edges: list[tuple[int, int]]) -> dict[int, int]:
    """Each vertex's smallest fellow, by breadth-first search: the reference for ``components``."""
    near: dict[int, set[int]] = {}
    for a, b in edges:
        near.setdefault(a, set()).add(b)
        near.setdefault(b, set()).add(a)
    label: dict[int, int] = {}
    for start in sorted(near):
        if start in label:
            continue
        seen, frontier = {start}, [start]
        while frontier:
            frontier = [n for v in frontier for n in near[v] if n not in seen]
            seen.update(frontier)
        label.update((v, min(seen)) for v in seen)
    return label


def test_spark_components_match_breadth_first_search(spark):
    rng = random.Random(7)
    chain = [(v, v + 1) for v in range(100, 108)]  # diameter 8: many rounds
    scattered = [(rng.randrange(40), rng.randrange(40)) for _ in range(30)]
    edges = chain + scattered + [(500, 500)]
    found = dict(components(spark, spark.sparkContext.parallelize(edges, 3)).collect())
    assert found == connected(edges)
    assert len(set(found.values())) > 2
