"""Cross-outlet clusters of the bundled fictional samples: ``tests/fixtures/clusters.expected.json``.

Two runs of ``cluster_quotes`` over the ten sample articles, both checked
against the fixture (read at test time, nothing copied from it):

* the quotes of ``tests/fixtures/samples.expected.jsonl``, i.e. perfect
  extraction: every fixture cluster must come out whole, with its canonical
  occurrence, each member's variant kind and truncation, and its speaker;
  every expected quote the fixture lists in no cluster must stay alone.
* the real engine's quotes (``quotegraph.extract_many``, slow): the same
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

import json
from collections.abc import Iterable
from pathlib import Path

import pytest

import quotegraph
from quotegraph import readers
from quotegraph.cluster import Occurrence, QuoteCluster, cluster_quotes
from quotegraph.cluster.people import normalise_name

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
CLUSTERS = json.loads((FIXTURES / "clusters.expected.json").read_text(encoding="utf-8"))
EXPECTED = {d["id"]: d for d in map(json.loads, (FIXTURES / "samples.expected.jsonl").read_text(
    encoding="utf-8").splitlines())}
ARTICLES = [a for story in CLUSTERS["stories"] for a in story["articles"]]
FIXTURE_CLUSTERS = [c for story in CLUSTERS["stories"] for c in story["clusters"]]

# Where this library and the fixture disagree, with why; each is a strict xfail,
# so it shows up the day either side changes.
DISAGREEMENTS = {
    ("greyfell-ledger-2026-04-14-viaduct-engineer-speaks-out", 18):
        "the headline 'Each time I was told to stop making a fuss' is, case aside, the last clause of the "
        "canonical quote word for word ('... and each time I was told to stop making a fuss'); the fixture "
        "reads it as the start and end of the sentence joined (altered), the aligner as a verbatim cut",
}


def numbered(quotes: Iterable[tuple[str, dict]]) -> tuple[list[Occurrence], dict[tuple[str, int], int]]:
    """Occurrences keyed in fixture article order, and the key of each (article, quote start)."""
    position = {a: n for n, a in enumerate(ARTICLES)}
    rows = sorted(quotes, key=lambda aq: (position[aq[0]], aq[1]["start"]))
    occs, keys = [], {}
    for key, (article, q) in enumerate(rows, start=1):
        occs.append(Occurrence(key, q["text"], q["type"], article, EXPECTED[article]["date"],
                               article.split("-2026-")[0], q["speaker"], q.get("confidence", 1.0)))
        keys[(article, q["start"])] = key
    return occs, keys


def by_member(clusters: list[QuoteCluster]) -> dict[int, QuoteCluster]:
    return {k: c for c in clusters for k in c.members}


def check_cluster(expected: dict, keys: dict[tuple[str, int], int], clusters: dict[int, QuoteCluster],
                  expected_keys: set[int]) -> None:
    """The fixture cluster came out whole, alone, with its canonical, variants and speaker.

    expected_keys: the keys that stand for expected quotes; other members (the
    engine's extra quotes) are not counted against the cluster.
    """
    want = {keys[(o["article"], o["quote_start"])]: o for o in expected["occurrences"]}
    got = clusters[next(iter(want))]
    assert set(got.members) & expected_keys == set(want), f"{expected['cluster']}: members {got.members}"
    canonical = next(k for k, o in want.items() if o["variant"] == "canonical")
    assert got.canonical == canonical, expected["cluster"]
    assert normalise_name(got.speaker) == normalise_name(expected["speaker"]), (expected["cluster"], got.speakers)
    variants = {v.key: v for v in got.variants}
    for key, o in want.items():
        if (o["article"], o["quote_start"]) in DISAGREEMENTS:
            continue
        v = variants[key]
        assert (v.kind, v.truncated) == (o["variant"], o["truncated"]), (expected["cluster"], o["snippet"], v)


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
    """Extract the samples once; occurrences keyed as for the expected quotes."""
    records = {r["id"]: r for r in readers.read_samples()}
    results = {r.id: r for r in quotegraph.extract_many(records[a] for a in ARTICLES)}
    quotes = {(a, q.start): q for a in ARTICLES for q in results[a].quotes}
    rows = [(a, {"start": q.start, "text": Occurrence.from_quote(0, q, article=a).text, "type": q.type,
                 "speaker": q.speaker, "confidence": q.confidence}) for (a, _), q in quotes.items()]
    occs, keys = numbered(rows)
    return keys, by_member(cluster_quotes(occs)), quotes


def extraction_errors(expected: dict, quotes: dict[tuple[str, int], object]) -> list[str]:
    """How the engine's quotes differ from the fixture's occurrences, where clustering cannot undo it."""
    errors = []
    for o in expected["occurrences"]:
        q = quotes.get((o["article"], o["quote_start"]))
        where = f"{o['article']} @{o['quote_start']} ({o['snippet']!r})"
        if q is None:
            errors.append(f"no quote extracted at {where}")
        elif (len(q.spans) > 1) != o["split"]:
            errors.append(f"quote at {where} extracted in {len(q.spans)} piece(s)")
        elif (q.type == "indirect") != (o["type"] == "indirect"):
            errors.append(f"quote at {where} extracted as {q.type}, expected {o['type']}")
    return errors


@pytest.mark.slow
@pytest.mark.parametrize("expected", FIXTURE_CLUSTERS, ids=[c["cluster"] for c in FIXTURE_CLUSTERS])
def test_samples_engine_quotes_cluster_as_fixture(engine, expected):
    keys, clusters, quotes = engine
    errors = extraction_errors(expected, quotes)
    if errors:
        pytest.xfail("engine: " + "; ".join(errors))
    expected_starts = {(a, q["start"]) for a in ARTICLES for q in EXPECTED[a]["quotes"]}
    check_cluster(expected, keys, clusters, {k for place, k in keys.items() if place in expected_starts})


def test_samples_fixture_lists_every_article():
    assert sorted(ARTICLES) == sorted(EXPECTED)
