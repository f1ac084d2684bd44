"""Clustering occurrences into quotes: ``quotegraph.cluster.cluster_quotes``.

Each table case is a few occurrences (text, type) from different articles and
the expected grouping, as lists of positions in the case. All sentences are
written for these tests.
"""
from __future__ import annotations

import itertools
import json
import os
import random
import subprocess
import sys
from dataclasses import asdict, replace

import pytest

from quotegraph.cluster import Occurrence, cluster_quotes
from quotegraph.model import Quote

STATEMENT = ("We will not back down. Our members have kept this service running through storms and a "
             "pandemic, and they deserve to be treated with honour, not handed a pay cut.")


def occ(key: int, text: str, type: str = "direct", *, date: str | None = "2026-03-02", speaker: str | None = "A B",
        confidence: float = 0.9) -> Occurrence:
    return Occurrence(key, text, type, f"article-{key}", date, f"outlet-{key}", speaker, confidence)


def groups(occs: list[Occurrence]) -> list[list[int]]:
    """The clusters as sorted lists of positions in ``occs``."""
    position = {o.key: n for n, o in enumerate(occs)}
    return sorted(sorted(position[k] for k in c.members) for c in cluster_quotes(occs))


CLUSTER_CASES = [
    pytest.param([f'"{STATEMENT}"', f"\u00ab{STATEMENT}\u00bb", f"\u2018{STATEMENT}\u2019"], [[0, 1, 2]],
                 id="quote-mark-styles"),
    pytest.param([STATEMENT, STATEMENT.upper()], [[0, 1]], id="case"),
    pytest.param([STATEMENT, STATEMENT.replace(",", "").replace(".", ";")], [[0, 1]], id="punctuation"),
    pytest.param([STATEMENT, STATEMENT.replace("honour", "honor")], [[0, 1]], id="british-american"),
    pytest.param([STATEMENT, "Our members have kept this service running through storms"], [[0, 1]],
                 id="truncation"),
    pytest.param([STATEMENT, ("We will not back down, ... Our members have kept this service running "
                             "through storms and a pandemic, and they deserve to be treated with honour, "
                             "not handed a pay cut.")],
                 [[0, 1]], id="split-joined"),
    pytest.param([STATEMENT, "We will not back down.", ("Our members have kept this service running through storms "
                                                       "and a pandemic, and they deserve to be treated with honour, "
                                                       "not handed a pay cut.")],
                 [[0, 1, 2]], id="whole-and-two-halves"),
    pytest.param([STATEMENT, STATEMENT.replace("back down", "step back")], [[0, 1]], id="misquote-joins"),
    pytest.param(["The proposals on the table protect every job and every route on the island.",
                  "The proposals on the table are an insult to every crew member on these boats."], [[0], [1]],
                 id="shared-opening-not-merged"),
    pytest.param(["Nobody in this company wants a strike and we have said so at every meeting since March.",
                  "Our crews tell us every single day that nobody in this company wants a strike, yet here we are."],
                 [[0], [1]], id="shared-long-phrase-not-merged"),
    pytest.param(["Nobody in this company wants a strike and we have said so at every meeting since March.",
                  "Our crews tell us every single day that nobody in this company wants a strike, yet here we are.",
                  "nobody in this company wants a strike"], [[0], [1], [2]],
                 id="phrase-of-two-quotes-stays-alone"),
    pytest.param([STATEMENT, "with honour"], [[0, 1]], id="short-fragment-unique"),
    pytest.param([STATEMENT, "We will not back down and we will be treated with honour.", "with honour"],
                 [[0], [1], [2]], id="short-fragment-ambiguous"),
    pytest.param(["wide enough to slide a coin into", "\u201cwide enough to slide a coin into\u201d"], [[0, 1]],
                 id="repeated-fragment-joins"),
    pytest.param(["No comment.", "No comment."], [[0], [1]], id="repeated-two-words-stay-apart"),
    pytest.param(["Completely different words about the weather in the north of the island today.", STATEMENT],
                 [[0], [1]], id="unrelated"),
]


@pytest.mark.parametrize(("texts", "expected"), CLUSTER_CASES)
def test_quotes_cluster_table(texts, expected):
    occs = [occ(k, t) for k, t in enumerate(texts, start=1)]
    assert groups(occs) == expected


def test_quotes_partial_and_paraphrase_link_to_direct():
    occs = [occ(1, "Public safety is not negotiable, and no one at this council has ever suggested otherwise."),
            occ(2, "not negotiable", "partial"),
            occ(3, "no one at the council had ever played down safety concerns", "indirect"),
            occ(4, "the viaduct would stay closed until engineers had finished a survey", "indirect")]
    [cluster, alone] = cluster_quotes(occs)
    assert cluster.members == (1, 2, 3) and alone.members == (4,)
    kinds = {v.key: (v.kind, v.truncated) for v in cluster.variants}
    assert kinds == {1: ("canonical", False), 2: ("verbatim", True), 3: ("paraphrase", True)}


REPORT_FRAGMENT_CASES = [
    pytest.param(["The board will publish the audit in full next week, without a single page held back.",
                  'pages would come out "in full", the board said of its audit'], [[0, 1]],
                 id="short-fragment-with-shared-words"),
    pytest.param(["The board will publish the audit in full next week, without a single page held back.",
                  'the union said the talks had been "in full" swing'], [[0], [1]],
                 id="short-fragment-alone-proves-nothing"),
    pytest.param(["wide enough to slide a coin into",
                  "the cracks had been \u201cwide enough to slide a coin into\u201d when she last looked"],
                 [[0, 1]], id="fragment-of-a-partial"),
    pytest.param([STATEMENT, "We will not back down and we will be treated with honour.",
                  "she said the crews would be \u201ctreated with honour\u201d"], [[0], [1], [2]],
                 id="fragment-in-two-quotes-stays-alone"),
    pytest.param([STATEMENT, "after a night of talks that went nowhere the union leader insisted, to cheers from the "
                  "crowd outside, that her members had \u2018kept this service running\u2019 for years and would "
                  "\u201cnot back down"], [[0, 1]], id="single-marks-and-unclosed-last-fragment"),
]


@pytest.mark.parametrize(("texts", "expected"), REPORT_FRAGMENT_CASES)
def test_quotes_report_joins_by_its_quoted_fragments(texts, expected):
    occs = [occ(k, t, "indirect" if k == len(texts) else "partial" if len(t.split()) < 8 else "direct")
            for k, t in enumerate(texts, start=1)]
    assert groups(occs) == expected


def test_quotes_reports_never_join_each_other():
    text = "the council had commissioned a full structural survey and would publish the findings"
    assert groups([occ(1, text, "indirect"), occ(2, text, "indirect")]) == [[0], [1]]


def test_quotes_misquote_flags_cluster():
    occs = [occ(1, STATEMENT), occ(2, STATEMENT.replace("back down", "step back"))]
    [cluster] = cluster_quotes(occs)
    assert cluster.altered
    variant = cluster.variants[1]
    assert variant.kind == "altered" and variant.changes[0].op == "changed"
    [clean] = cluster_quotes([occ(1, STATEMENT), occ(2, STATEMENT.replace("honour", "honor"))])
    assert not clean.altered and clean.variants[1].kind == "spelling_punctuation"


def test_quotes_canonical_fullest_direct_earliest_by_date_then_key():
    occs = [occ(5, "Our members have kept this service running through storms", date="2026-03-01"),
            occ(3, STATEMENT, date="2026-03-04"),
            occ(4, STATEMENT.replace("honour", "honor"), date="2026-03-03"),
            occ(9, STATEMENT, "partial", date="2026-03-02"),
            occ(2, STATEMENT, date=None)]
    [cluster] = cluster_quotes(occs)
    assert cluster.members == (2, 3, 4, 5, 9)
    assert cluster.canonical == 4  # direct, fullest, then earliest dated
    assert cluster.earliest == 5  # earliest date; undated last


def test_quotes_canonical_prefers_unsplit():
    split = STATEMENT.replace("down. Our", "down, ... Our")
    [cluster] = cluster_quotes([occ(1, split), occ(2, STATEMENT, date="2026-03-05")])
    assert cluster.canonical == 2


def test_quotes_speaker_vote_weighted_by_confidence():
    occs = [occ(1, STATEMENT, speaker="Delia Marchbank", confidence=0.45),
            occ(2, STATEMENT, speaker="Marchbank", confidence=0.45),
            occ(3, STATEMENT, speaker="Owen Castellane", confidence=0.8),
            occ(4, STATEMENT, speaker=None, confidence=0.5)]
    [cluster] = cluster_quotes(occs)
    assert cluster.speaker == "Delia Marchbank"
    assert [name for name, _ in cluster.speakers] == ["Delia Marchbank", "Owen Castellane"]
    assert cluster.speakers[0][1] == pytest.approx(0.9 / 1.7)


def test_quotes_order_independent():
    texts = [STATEMENT, STATEMENT.replace("honour", "honor"), "Our members have kept this service running",
             "with honour", STATEMENT.replace("back down", "step back"), "The weather will improve by the weekend.",
             "members kept the service running through storms", "Nobody wants that, nobody at all, believe me."]
    occs = [occ(k, t, "partial" if k == 7 else "direct", speaker=f"S{k % 3}") for k, t in enumerate(texts)]
    baseline = cluster_quotes(occs)
    shuffled = random.Random(3)
    for perm in itertools.islice(itertools.permutations(occs), 0, 40, 7):
        assert cluster_quotes(perm) == baseline
    for _ in range(5):
        assert cluster_quotes(shuffled.sample(occs, len(occs))) == baseline


def test_quotes_every_occurrence_once_singletons_included():
    occs = [occ(k, t) for k, t in enumerate([STATEMENT, "", "Something else entirely was said here today."])]
    clusters = cluster_quotes(occs)
    assert sorted(k for c in clusters for k in c.members) == [0, 1, 2]
    alone = next(c for c in clusters if c.members == (1,))
    assert alone.canonical == 1 and alone.variants[0].kind == "canonical"


def test_quotes_empty_input():
    assert cluster_quotes([]) == []


@pytest.mark.parametrize(("bad", "message"), [
    ([occ(1, "a b c"), occ(1, "d e f")], "appears twice"),
    ([replace(occ(1, "a b c"), type="quote")], "type 'quote'"),
    ([occ(1, "a b c", confidence=1.5)], "outside"),
])
def test_quotes_bad_input_raises(bad, message):
    with pytest.raises(ValueError, match=message):
        cluster_quotes(bad)


def test_quotes_result_serialises_to_json():
    [cluster] = cluster_quotes([occ(1, STATEMENT), occ(2, STATEMENT.replace("honour", "honor"))])
    data = json.loads(json.dumps(asdict(cluster)))
    assert data["variants"][1]["changes"] == [["spelling", "honour", "honor", True]]


def test_quotes_occurrence_from_quote_joins_pieces():
    article = '"We will not back down," she said, "and we mean it."'
    quote = Quote(start=1, end=51, spans=((1, 23), (36, 51)), text=article[1:51], type="direct",
                  speaker="Delia Marchbank", confidence=0.8)
    o = Occurrence.from_quote(7, quote, article="a1", date="2026-03-02", outlet="Gazette")
    assert o.text == "We will not back down, ... and we mean it."
    assert (o.key, o.type, o.speaker, o.confidence, o.outlet) == (7, "direct", "Delia Marchbank", 0.8, "Gazette")


def test_quotes_identical_across_processes_and_hash_seeds(tmp_path):
    """A rerun in a new process (new str hash seed) gives the identical result, as a rerun ingest must."""
    script = tmp_path / "run.py"
    script.write_text(
        "import json, sys\n"
        "from dataclasses import asdict\n"
        "from quotegraph.cluster import Occurrence, cluster_quotes\n"
        "rows = json.loads(sys.stdin.read())\n"
        "print(json.dumps([asdict(c) for c in cluster_quotes(Occurrence(*r) for r in rows)]))\n",
        encoding="utf-8")
    texts = [STATEMENT, STATEMENT.replace("honour", "honor"), "with honour", "Our members have kept this service",
             STATEMENT.replace("back down", "step back"), "they deserve to be treated with honour, she said",
             "Nobody wants a strike, nobody at all."]
    rows = json.dumps([[k, t, "indirect" if "she said" in t else "direct", f"a{k}", None, None, f"S {k % 2}", 0.5]
                       for k, t in enumerate(texts)])
    outputs = set()
    for seed in ("1", "2", "3"):
        run = subprocess.run([sys.executable, str(script)], input=rows, capture_output=True, text=True, check=True,
                             env={**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": os.pathsep.join(sys.path)})
        outputs.add(run.stdout)
    assert len(outputs) == 1
