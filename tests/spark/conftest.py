"""Spark in ``local[2]`` on loopback, one session for the whole test run, and the articles the Spark
tests share: the bundled samples and, when ``../shared`` is there, a few dev articles."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from cli_helpers import run

from quotegraph import Corpus
from quotegraph.errors import SparkError
from quotegraph.ingest.sources import sources

# Dev articles added to the samples when ../shared is present: enough for quotes across
# outlets and long articles, few enough to keep the Spark tests to a minute or two.
DEV_ARTICLES = {"polnear-dev.jsonl": 6, "ggt-dev.jsonl": 6}
FIELDS = ("id", "text", "url", "title", "date", "outlet")


@pytest.fixture(scope="session")
def spark():
    """A local Spark on two cores, bound to 127.0.0.1, without its UI; stopped at the end.

    Skipped where pyspark or Java is missing, except in CI, where scripts/test installs
    both and a skip would hide that they are gone.
    """
    from quotegraph.spark import session

    try:
        session.require_pyspark()
        session.java()
    except SparkError as error:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must run the Spark tests: {error}")
        pytest.skip(f"needs Spark: {error}")
    spark = session.session(master="local[2]")
    yield spark
    spark.stop()


def _raise(error: Exception) -> None:
    raise error


def sample_records() -> list[dict]:
    """The bundled samples as ingest reads them (with their outlets)."""
    return [{k: r[k] for k in FIELDS if k in r} for r in sources([], on_skip=_raise, sample=True)]


@pytest.fixture(scope="session")
def articles_file(tmp_path_factory) -> Path:
    """One JSONL file: the ten samples, then the first dev articles of each dev file when ../shared has them."""
    records = sample_records()
    data = Path(__file__).resolve().parents[2].parent / "shared" / "data"
    for name, count in DEV_ARTICLES.items():
        if (data / name).is_file():
            with (data / name).open(encoding="utf-8") as lines:
                for _, line in zip(range(count), lines, strict=False):
                    doc = json.loads(line)
                    records.append({k: doc[k] for k in FIELDS if doc.get(k)})
    path = tmp_path_factory.mktemp("articles") / "articles.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def local_db(articles_file, tmp_path_factory) -> str:
    """``articles_file`` through the local path: ``Corpus.ingest`` into SQLite."""
    db = str(tmp_path_factory.mktemp("local") / "local.db")
    with Corpus(db) as corpus:
        corpus.ingest([str(articles_file)])
    return db


@pytest.fixture(scope="session")
def spark_out(spark, articles_file, tmp_path_factory) -> str:
    """``articles_file`` through ``quotegraph spark extract``."""
    out = str(tmp_path_factory.mktemp("spark") / "out")
    result = run("spark", "extract", str(articles_file), out)
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="session")
def spark_quotes(spark, spark_out, tmp_path_factory) -> str:
    """``spark_out`` through ``quotegraph spark cluster``."""
    quotes = str(tmp_path_factory.mktemp("spark") / "quotes")
    result = run("spark", "cluster", spark_out, quotes)
    assert result.exit_code == 0, result.output
    return quotes
