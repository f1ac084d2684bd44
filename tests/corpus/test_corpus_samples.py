"""Must show 1 of issue 3: ingesting the bundled samples gives the expected clusters, variants and speakers.

The ten sample files go through ``quotegraph ingest`` into a real SQLite file,
named in the fixture's article order (the order the outlets published in), so
that quote ids, and with them the ties between equally full canonical forms,
follow the same order as in ``tests/cluster/test_samples.py``. The clusters
are then read back through ``Corpus`` and held to
``tests/fixtures/clusters.expected.json`` by the same checks
(``sample_clusters``): a fixture cluster the engine could not extract as the
fixture has it is an expected failure that names the extraction error.
"""
from __future__ import annotations

from importlib import resources

import pytest
from cli_helpers import run
from sample_clusters import ARTICLES, FIXTURE_CLUSTERS, check_engine_cluster

from quotegraph import Corpus
from quotegraph.cluster import QuoteCluster, Variant

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def stored(tmp_path_factory):
    """The clusters as stored, by member key; each quote's key by (article, start); the engine's quotes."""
    folder = resources.files("quotegraph").joinpath("samples")
    db = str(tmp_path_factory.mktemp("samples") / "samples.db")
    result = run("ingest", *(str(folder.joinpath(f"{a}.txt")) for a in ARTICLES), "--db", db, "--no-progress")
    assert result.exit_code == 0, result.output
    with Corpus(db) as corpus:
        rows = list(corpus.store.export_rows())
        quotes = [corpus.quote(row["quoteID"]) for row in rows]
        sources = {key: corpus.article(key) for row in rows for key in row["articles"]}
    names = {key: article.source_id for key, (article, _) in sources.items()}
    keys = {(names[o["article"]], o["start"]): o["key"] for q in quotes for o in q["occurrences"]}
    clusters = {}
    for q in quotes:
        cluster = QuoteCluster(
            members=tuple(sorted(o["key"] for o in q["occurrences"])), canonical=q["canonical"],
            earliest=q["earliest"], speakers=tuple(map(tuple, q["speakers"])), speaker=q["speaker"],
            variants=tuple(Variant(o["key"], o["variant"], o["truncated"]) for o in q["occurrences"]),
            altered=q["altered"])
        clusters.update((key, cluster) for key in cluster.members)
    engine = {(article.source_id, quote.start): quote
              for article, result in sources.values() for quote in result.quotes}
    return keys, clusters, engine


def test_samples_every_article_and_quote_is_stored(stored):
    keys, clusters, engine = stored
    assert {article for article, _ in keys} == set(ARTICLES)
    assert set(keys.values()) == set(clusters) and len(keys) == len(engine)


@pytest.mark.parametrize("expected", FIXTURE_CLUSTERS, ids=[c["cluster"] for c in FIXTURE_CLUSTERS])
def test_samples_ingested_quotes_cluster_as_fixture(stored, expected):
    check_engine_cluster(expected, *stored)


def test_samples_sample_flag_gives_the_same_quotes(stored, sample_db):
    """``ingest --sample`` reads the same files (in name order): the same quotes, texts and speakers."""
    _, clusters, _ = stored
    with Corpus(sample_db) as corpus:
        sample = {(row["quotation"], row["speaker"], row["numOccurrences"]) for row in corpus.store.export_rows()}
        assert {row["outlets"][0] for row in corpus.store.export_rows()} >= {"Harbour Gazette", "Meridian Wire"}
    by_fixture_order = {c.canonical: c for c in clusters.values()}
    assert len(sample) == len(by_fixture_order)
