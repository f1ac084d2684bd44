"""Word-level differences from the canonical form: ``quotegraph.cluster.variants``.

Each case is (canonical text, occurrence text, kind, truncated, the change
operations). All sentences are written for these tests.
"""
from __future__ import annotations

import json

import pytest

from quotegraph.cluster.same_quote import words
from quotegraph.cluster.variants import Change, compare

CANON = ("I raised this in writing three times. Each time I was told the budget would not stretch, "
         "and each time I was told to wait.")

VARIANT_CASES = [
    pytest.param(CANON, CANON, "verbatim", False, [], id="identical"),
    pytest.param(CANON, "\u201c" + CANON.replace("budget", "Budget") + "\u201d", "verbatim", False, [],
                 id="marks-and-case-ignored"),
    pytest.param(CANON, CANON[:-1] + ",", "verbatim", False, [], id="final-stop-to-comma-ignored"),
    pytest.param(CANON, CANON.replace("three times. Each", "three times; each"), "spelling_punctuation", False,
                 ["punctuation"], id="stop-to-semicolon"),
    pytest.param(CANON, CANON.replace("stretch,", "stretch"), "spelling_punctuation", False, ["punctuation"],
                 id="comma-dropped"),
    pytest.param(CANON, CANON.replace("three", "3"), "spelling_punctuation", False, ["spelling"],
                 id="number-style"),
    pytest.param("They deserve to be treated with honour.", "They deserve to be treated with honor.",
                 "spelling_punctuation", False, ["spelling"], id="honour-honor"),
    pytest.param(CANON, CANON.replace("three", "four"), "altered", False, ["changed"], id="word-changed"),
    pytest.param(CANON, CANON.replace("would not", "would never ever"), "altered", False, ["changed", "added"],
                 id="words-changed-and-added"),
    pytest.param(CANON, CANON.replace("in writing ", ""), "altered", False, ["dropped"], id="words-dropped"),
    pytest.param(CANON, "Each time I was told the budget would not stretch", "verbatim", True, [],
                 id="cut-in-the-middle"),
    pytest.param(CANON, "I raised this in writing three times.", "verbatim", True, [], id="first-sentence-only"),
    pytest.param(CANON, "I raised this in writing four times.", "altered", True, ["changed"],
                 id="cut-and-changed"),
    pytest.param(CANON, "I raised this in writing three times, ... Each time I was told the budget would not "
                        "stretch, and each time I was told to wait.", "verbatim", False, [],
                 id="split-by-attribution"),
    pytest.param(CANON, "I raised this in writing three times ... and each time I was told to wait.",
                 "verbatim", True, ["omitted"], id="ellipsis-marks-the-cut"),
    pytest.param(CANON, "I raised this in writing three times and each time I was told to wait.",
                 "altered", False, ["dropped"], id="middle-dropped-without-ellipsis"),
    pytest.param("It\u2019s time. Thank you. I will see you.", "It's time", "verbatim", True, [],
                 id="short-headline-cut"),
    pytest.param("Twenty years ago I walked in with no idea what I was doing. I have given this club everything.",
                 "I have given this club everything.", "verbatim", True, [], id="repeated-word-at-the-cut"),
]


@pytest.mark.parametrize(("canonical", "text", "kind", "truncated", "ops"), VARIANT_CASES)
def test_variants_compare_table(canonical, text, kind, truncated, ops):
    v = compare(7, words(text), words(canonical))
    assert (v.key, v.kind, v.truncated) == (7, kind, truncated), v
    assert [c.op for c in v.changes] == ops, v.changes


def test_variants_changes_name_the_words():
    v = compare(1, words("We will not step back."), words("We will not back down."))
    assert v.changes == (Change("changed", "back down", "step back", False),)
    v = compare(1, words("treated with honor"), words("treated with honour"))
    assert v.changes == (Change("spelling", "honour", "honor", True),)


def test_variants_serialise_to_json():
    v = compare(3, words("I raised this in writing four times; each"), words(CANON))
    assert json.loads(json.dumps(v.changes)) == [list(c) for c in v.changes]


def test_variants_paraphrase_of_part_is_truncated():
    v = compare(2, words("no one at the council had ever played down safety concerns"),
                words("Public safety is not negotiable, and no one at this council has ever suggested otherwise."),
                reported=True)
    assert (v.kind, v.truncated) == ("paraphrase", True)
