"""Laying query results out for reading; the word diff of a variant against its canonical form."""
from __future__ import annotations

import pytest

from quotegraph.reports import people_report, quote_report, search_report, word_diff

CANONICAL = ("We will not back down. Our members have kept this service running through storms and a pandemic, "
             "and they deserve to be treated with honour.")


@pytest.mark.parametrize(("occurrence", "diff"), [
    (CANONICAL, CANONICAL),
    # Quote marks, case and British/American spelling are no change to the wording.
    ("“we will not back down. Our members have kept this service running through storms and a pandemic, "
     "and they deserve to be treated with honor.”",
     "we will not back down. Our members have kept this service running through storms and a pandemic, "
     "and they deserve to be treated with honor.”"),
    ("We will not step back. Our members kept this service running",
     "We will not {+step+} back. [-down.-] Our members [-have-] kept this service running …"),
    ("and they deserve to be treated with honour", "… and they deserve to be treated with honour"),
    ("Our members have kept this service running", "… Our members have kept this service running …"),
])
def test_reports_word_diff_marks_altered_wording_only(occurrence, diff):
    assert word_diff(CANONICAL, occurrence) == diff


def occurrence(key, outlet, date, variant, text, changes=(), truncated=False, type_="direct"):
    return {"key": key, "text": text, "start": 0, "end": len(text), "type": type_, "speaker": "Delia Marchbank",
            "confidence": 0.9, "article": f"sha256:{key}", "url": None, "title": None, "outlet": outlet,
            "date": date, "variant": variant, "truncated": truncated, "changes": [list(c) for c in changes]}


def test_reports_quote_lists_timeline_and_variants():
    quote = {"id": 7, "canonical": 7, "earliest": 7, "speaker": "Delia Marchbank", "altered": True,
             "speakers": [["Delia Marchbank", 0.75], ["Tidewell Ferries", 0.25]], "occurrences": [
                 occurrence(7, "Harbour Gazette", "2026-03-02", "canonical", CANONICAL),
                 occurrence(9, "Meridian Wire", "2026-03-03", "altered", "We will not step back.",
                            [("changed", "back down", "step back", False)], truncated=True),
                 occurrence(11, None, None, "paraphrase", "the union would not back down", type_="indirect")]}
    text = quote_report(quote)
    assert text.splitlines()[0] == "Quote #7  · ALTERED: an occurrence changes its wording"
    assert "Speaker: Delia Marchbank  (vote: Delia Marchbank 75%, Tidewell Ferries 25%)" in text
    timeline = text[text.index("Timeline (3 occurrences):"):text.index("Variants")].splitlines()[1:]
    assert timeline[0].split()[:4] == ["2026-03-02", "Harbour", "Gazette", "direct"] and "first" in timeline[0]
    assert "ALTERED, truncated" in timeline[1]
    assert timeline[2].split()[:2] == ["undated", "sha256:11"]
    assert "We will not {+step+} back. …" in text  # "down" and the rest: a cut; the change list names it
    assert "- changed: 'back down' -> 'step back'" in text
    assert "reports: the union would not back down" in text


def test_reports_empty_results_say_so():
    assert search_report([]) == "No quote matches."
    assert people_report([]) == "No people in this corpus yet."
