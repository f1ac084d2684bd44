"""The definition of the same quote: ``quotegraph.cluster.same_quote``.

Pure functions of two texts, so each case is a row: (a, b, same quote?).
All sentences are written for these tests.
"""
from __future__ import annotations

import pytest

from quotegraph.cluster import same_quote
from quotegraph.cluster.same_quote import fragments, norms, paraphrases, windows, words

LONG = ("We will not back down. Our members have kept this service running through storms and a "
        "pandemic, and they deserve to be treated with honour.")

SAME_CASES = [
    pytest.param(LONG, LONG, True, id="identical"),
    pytest.param('"We will not back down," she said.', "\u00abWe will not back down,\u00bb she said.", True,
                 id="straight-vs-guillemets"),
    pytest.param("We Will Not Back Down.", "we will not back down", True, id="case-and-final-stop"),
    pytest.param(LONG, LONG.replace("honour", "honor"), True, id="british-vs-american"),
    pytest.param("She organised the whole back line.", "She organized the whole back line.", True,
                 id="organised-organized"),
    pytest.param("Drove under it twice a day for ten years.", "Drove under it twice a day for 10 years.", True,
                 id="ten-vs-10"),
    pytest.param(LONG, LONG.replace("down.", "down;").replace("pandemic,", "pandemic"), True,
                 id="inner-punctuation"),
    pytest.param(LONG, "Our members have kept this service running through storms", True,
                 id="truncation-inside"),
    pytest.param(LONG, "We will not back down. Our members have kept this service running", True,
                 id="truncation-at-start"),
    pytest.param(LONG, "We will not back down, ... Our members have kept this service running through storms "
                       "and a pandemic, and they deserve to be treated with honour.", True, id="split-halves-joined"),
    pytest.param(LONG, LONG.replace("back down", "step back"), True, id="misquote-still-same-quote"),
    pytest.param(LONG, "We will not back down", True, id="five-words-exact"),
    pytest.param("in full", "The council will publish its findings in full.", True, id="short-exact-run"),
    pytest.param("in fall", "The council will publish its findings in full.", False, id="short-not-fuzzy"),
    pytest.param("The proposals on the table protect every job and every route.",
                 "The proposals on the table are an insult to every worker on these boats.", False,
                 id="shared-opening-different-quotes"),
    pytest.param("Nobody on these boats wants a strike, and nobody in the company does either.",
                 "Nobody on these boats wants a pay cut dressed up as a plan for the future.", False,
                 id="shared-long-phrase-different-quotes"),
    pytest.param("", LONG, False, id="empty"),
]


@pytest.mark.parametrize(("a", "b", "same"), SAME_CASES)
def test_same_quote_table(a, b, same):
    assert same_quote.same_quote(a, b) is same
    assert same_quote.same_quote(b, a) is same  # symmetric


def test_same_quote_words_fold_marks_apostrophes_spelling():
    ws = words("\u201cI\u2019ve honoured ten \u2018promises\u2019; Caf\u00e9 ... done")
    assert [w.norm for w in ws] == ["ive", "honored", "10", "promises", "cafe", "done"]
    assert [w.form for w in ws] == ["i've", "honoured", "ten", "promises", "caf\u00e9", "done"]
    assert [w.before for w in ws] == ["", "", "", "", ";", "..."]


def test_same_quote_norms_apostrophe_glyphs_agree():
    assert norms("can\u2019t won't I\u02bcm") == norms("can't won\u2019t I'm")


def test_same_quote_windows_cover_every_word():
    seq = [f"w{i}" for i in range(13)]
    shingles = windows(seq)
    covered = {b for w in shingles for b in w}
    assert covered == {f"w{i} w{i + 1}".encode() for i in range(12)}
    assert all(len(w) == same_quote.WINDOW - 1 for w in shingles)
    assert windows(["alone"]) == [[b"alone"]]


def test_same_quote_match_gives_stretch_and_full_length():
    long = norms(LONG)
    cut = norms("Our members have kept this service running")
    found = same_quote.match(cut, long)
    assert found is not None and not found.full_length
    assert long[found.start:found.end] == cut
    assert same_quote.match(long, long).full_length


PARAPHRASE_CASES = [
    pytest.param("no one at the council had ever played down safety concerns",
                 "Public safety is not negotiable, and no one at this council has ever suggested otherwise.",
                 True, id="reported-with-tense-and-pronoun-shift"),
    pytest.param("the closure will stay in place until engineers have completed a full survey",
                 "The council commissioned a full structural survey and will publish its findings in full.",
                 False, id="two-shared-words-not-enough"),
    pytest.param("she raised the problem at three consecutive meetings",
                 "I raised this in writing three times, and each time I was told to stop making a fuss.",
                 False, id="same-topic-other-statement"),
    pytest.param("the cracks had been wide enough to slide a coin into when she inspected them",
                 "wide enough to slide a coin into", True, id="report-containing-the-quote"),
]


@pytest.mark.parametrize(("reported", "quoted", "expected"), PARAPHRASE_CASES)
def test_same_quote_paraphrases_table(reported, quoted, expected):
    assert paraphrases(reported, quoted) is expected


@pytest.mark.parametrize(("text", "expected"), [
    ('its plan "protects every job" and will last "at any hour', [("protects", "every", "job"), ("at", "any", "hour")]),
    ("the \u00abfinal offer\u00bb and the \u201cbest deal\u201d", [("final", "offer"), ("best", "deal")]),
    ("the club\u2019s \u2018good-natured\u2019 fans", [("good", "natured")]),
    ("called it \u2018the viaduct\u2019s worst week\u2019", [("the", "viaducts", "worst", "week")]),
    ("no marks, only the club\u2019s apostrophes", []),
])
def test_same_quote_fragments_of_a_report(text, expected):
    assert fragments(text) == expected
