"""The expected cross-outlet clusters of the bundled samples, and how to check clusters against them.

Shared by ``tests/cluster/test_samples.py`` (``cluster_quotes`` over the
expected and the engine's quotes) and ``tests/corpus/test_samples.py`` (the
same, after a real ingest into SQLite), so both hold the engine to one reading
of ``tests/fixtures/clusters.expected.json``: a fixture cluster one of whose
occurrences the engine did not extract as the fixture has it is an expected
failure naming that extraction error (``extraction_errors``), and
``DISAGREEMENTS`` are the strict xfails where clustering and fixture differ.
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

import pytest

from quotegraph.cluster import Occurrence, QuoteCluster
from quotegraph.cluster.people import normalise_name

FIXTURES = Path(__file__).resolve().parent / "fixtures"
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
    ("civic-dispatch-2026-04-15-viaduct-pressure-on-leader", 1169):
        "the report 'it had commissioned a full structural survey and would publish the findings \"in full\"' "
        "restates the whole statement, its subject 'The council' becoming 'it'; the fixture reads it as whole, "
        "the aligner as cut, since the report's words begin after 'The council'",
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


def check_engine_cluster(expected: dict, keys: dict[tuple[str, int], int], clusters: dict[int, QuoteCluster],
                         quotes: dict[tuple[str, int], object]) -> None:
    """``check_cluster`` on the engine's quotes, or an expected failure naming the extraction error
    that makes the fixture cluster impossible; the engine's extra quotes do not count against it."""
    errors = extraction_errors(expected, quotes)
    if errors:
        pytest.xfail("engine: " + "; ".join(errors))
    expected_starts = {(a, q["start"]) for a in ARTICLES for q in EXPECTED[a]["quotes"]}
    check_cluster(expected, keys, clusters, {k for place, k in keys.items() if place in expected_starts})


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
