"""People across articles: ``quotegraph.cluster.merge_people``.

Each case is a list of records (name, gender, descriptors, handles), one per
article, and the expected groups as positions in the list. All names are
invented for these tests.
"""
from __future__ import annotations

import random

import pytest

from quotegraph.cluster import PersonRecord, merge_people
from quotegraph.cluster.people import normalise_name


def records(rows: list[tuple]) -> list[PersonRecord]:
    """One record per row, keyed by its position; missing fields default to unknown."""
    defaults = ("", None, (), ())
    out = []
    for key, row in enumerate(rows):
        name, gender, descriptors, handles = (*row, *defaults[len(row):])
        out.append(PersonRecord(key, f"article-{key}", name, gender, tuple(descriptors), tuple(handles)))
    return out


def positions(groups: list[tuple[int, ...]]) -> list[list[int]]:
    return [list(g) for g in groups]  # keys are positions here


MERGE_CASES = [
    pytest.param([("Ines Varholm",), ("ines varholm",), ("Inés Várholm",)], [[0, 1, 2]], id="case-and-accents"),
    pytest.param([("Dr Halina Osterby",), ("Halina Osterby",), ("Dr. Halina Osterby",)], [[0, 1, 2]],
                 id="honorifics"),
    pytest.param([("Ines Varholm",), ("Jonas Varholm",)], [[0], [1]], id="shared-surname-never"),
    pytest.param([("Halina Osterby", "female"), ("Osterby",)], [[0, 1]], id="bare-surname-one-candidate"),
    pytest.param([("Ines Varholm",), ("Jonas Varholm",), ("Varholm",)], [[0], [1], [2]],
                 id="bare-surname-two-candidates"),
    pytest.param([("Varholm",), ("Varholm",)], [[0], [1]], id="bare-names-without-full-name-stay-alone"),
    pytest.param([("Halina Osterby", "female"), ("Mr Osterby", "male")], [[0], [1]],
                 id="bare-surname-gender-contradicts"),
    pytest.param([("Jordan Vell", "female"), ("Jordan Vell", "male")], [[0], [1]], id="genders-contradict"),
    pytest.param([("Jordan Vell", "female"), ("Jordan Vell", None)], [[0, 1]], id="unknown-gender-compatible"),
    pytest.param([("Sam Ruddock", None, (), ("@samr",)), ("Sam Ruddock", None, (), ("@sam_ruddock_news",))],
                 [[0], [1]], id="different-handles"),
    pytest.param([("Sam Ruddock", None, (), ("@samr",)), ("Sam Ruddock", None, (), ("@SamR", "@other"))],
                 [[0, 1]], id="shared-handle"),
    pytest.param([("Sam Ruddock", None, ("nurse",), ("@samr",)), ("Sam Ruddock", None, ("pilot",), ("@sam_air",)),
                  ("Sam Ruddock", None, ("pilot",), ())], [[0], [1, 2]], id="descriptor-picks-namesake"),
    pytest.param([("Anwen Stobart", None, (), ("@wexmoorwalker",)), ("@wexmoorwalker",)], [[0, 1]],
                 id="handle-name-joins-owner"),
    pytest.param([("@wexmoorwalker",), ("@WexmoorWalker",)], [[0, 1]], id="same-handle-names"),
    pytest.param([("",), ("Ines Varholm",)], [[0], [1]], id="empty-name-alone"),
]


@pytest.mark.parametrize(("rows", "expected"), MERGE_CASES)
def test_people_merge_table(rows, expected):
    assert positions(merge_people(records(rows))) == expected


def test_people_merge_order_independent():
    rows = [("Ines Varholm", "female"), ("Varholm",), ("Halina Osterby",), ("Dr Osterby", "female"),
            ("Jonas Quill",), ("Bernard Quill", "male"), ("Quill",), ("@wexmoorwalker",)]
    recs = records(rows)
    baseline = merge_people(recs)
    for seed in range(5):
        assert merge_people(random.Random(seed).sample(recs, len(recs))) == baseline
    assert baseline == [(0, 1), (2, 3), (4,), (5,), (6,), (7,)]


def test_people_merge_empty_and_duplicate_keys():
    assert merge_people([]) == []
    with pytest.raises(ValueError, match="unique"):
        merge_people([PersonRecord(1, "a", "Ines Varholm"), PersonRecord(1, "b", "Ines Varholm")])


def test_people_normalise_name():
    assert normalise_name("Dr. Jos\u00e9 N\u00fa\u00f1ez") == "jose nunez"
    assert normalise_name("Mrs O\u2019Brien") == "obrien"
    assert normalise_name("@WexmoorWalker") == "@wexmoorwalker"
    assert normalise_name(None) == ""
