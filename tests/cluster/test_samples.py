"""Cross-outlet clusters of the bundled fictional samples: ``tests/fixtures/clusters.expected.json``.

Two runs of ``cluster_quotes`` over the ten sample articles, both checked
against the fixture (read at test time, nothing copied from it):

* the quotes of ``tests/fixtures/samples.expected.jsonl``, i.e. perfect
  extraction: every fixture cluster must come out whole, with its canonical
  occurrence, each member's variant kind and truncation, and its speaker;
  every expected quote the fixture lists in no cluster must stay alone.
* the real engine's quotes (``quotegraph.extract_many`` with a corpus's options, slow): the same
  checks, cluster by cluster. A cluster one of whose occurrences the engine
  did not extract as the fixture has it (no quote starting there, a quote
  split differently, a report where a quote is expected) cannot come out as
  the fixture says; that cluster is an expected failure naming the
  extraction error, not a clustering one. A direct quote the engine calls
  partial (or the reverse) is tolerated: clustering treats both alike.

Occurrence keys follow the fixture's order of stories and articles (the order
the outlets published in) and then the quote's position, as a store that
ingests in publication order would number them; ties between equally full
forms go to the smaller key.
"""
from __future__ import annotations

import pytest
from sample_clusters import (
    ARTICLES,
    DISAGREEMENTS,
    EXPECTED,
    FIXTURE_CLUSTERS,
    by_member,
    check_cluster,
    check_engine_cluster,
    numbered,
)

import quotegraph
from quotegraph import readers
from quotegraph.cluster import Occurrence, QuoteCluster, cluster_quotes
from quotegraph.options import corpus_options

# ---------------------------------------------------------------------------
# Perfect extraction: the expected quotes.

@pytest.fixture(scope="module")
def gold() -> tuple[dict[tuple[str, int], int], dict[int, QuoteCluster]]:
    occs, keys = numbered((a, q) for a in ARTICLES for q in EXPECTED[a]["quotes"])
    return keys, by_member(cluster_quotes(occs))


@pytest.mark.parametrize("expected", FIXTURE_CLUSTERS, ids=[c["cluster"] for c in FIXTURE_CLUSTERS])
def test_samples_expected_quotes_cluster_as_fixture(gold, expected):
    keys, clusters = gold
    check_cluster(expected, keys, clusters, set(keys.values()))


def test_samples_unlisted_quotes_stay_alone(gold):
    keys, clusters = gold
    listed = {keys[(o["article"], o["quote_start"])] for c in FIXTURE_CLUSTERS for o in c["occurrences"]}
    merged = {k: clusters[k].members for k in keys.values() if k not in listed and len(clusters[k].members) > 1}
    assert merged == {}


DISPUTED = [pytest.param(article, start, marks=pytest.mark.xfail(strict=True, reason=why), id=f"{article[:16]}-{start}")
            for (article, start), why in DISAGREEMENTS.items()]


@pytest.mark.parametrize(("article", "start"), DISPUTED)
def test_samples_disputed_variant_kind(gold, article, start):
    keys, clusters = gold
    expected = next(o for c in FIXTURE_CLUSTERS for o in c["occurrences"]
                    if (o["article"], o["quote_start"]) == (article, start))
    key = keys[(article, start)]
    variant = next(v for v in clusters[key].variants if v.key == key)
    assert (variant.kind, variant.truncated) == (expected["variant"], expected["truncated"])


# ---------------------------------------------------------------------------
# The real engine.

@pytest.fixture(scope="module")
def engine() -> tuple[dict[tuple[str, int], int], dict[int, QuoteCluster], dict[tuple[str, int], object]]:
    """Extract the samples once, as a corpus does (``corpus_options``); occurrences keyed as for the
    expected quotes."""
    records = {r["id"]: r for r in readers.read_samples()}
    results = {r.id: r for r in quotegraph.extract_many((records[a] for a in ARTICLES), options=corpus_options())}
    quotes = {(a, q.start): q for a in ARTICLES for q in results[a].quotes}
    rows = [(a, {"start": q.start, "text": Occurrence.from_quote(0, q, article=a).text, "type": q.type,
                 "speaker": q.speaker, "confidence": q.confidence}) for (a, _), q in quotes.items()]
    occs, keys = numbered(rows)
    return keys, by_member(cluster_quotes(occs)), quotes


@pytest.mark.slow
@pytest.mark.parametrize("expected", FIXTURE_CLUSTERS, ids=[c["cluster"] for c in FIXTURE_CLUSTERS])
def test_samples_engine_quotes_cluster_as_fixture(engine, expected):
    check_engine_cluster(expected, *engine)


def test_samples_fixture_lists_every_article():
    assert sorted(ARTICLES) == sorted(EXPECTED)
