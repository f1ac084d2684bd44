"""The speaker vote over a quote's occurrences: ``quotegraph.cluster.speakers.vote``."""
from __future__ import annotations

import pytest

from quotegraph.cluster.speakers import vote


def test_speakers_vote_weighted_best_first():
    shares = vote([("Bernard Quill", 0.9), ("Halina Osterby", 0.45), ("Bernard Quill", 0.9)])
    assert [n for n, _ in shares] == ["Bernard Quill", "Halina Osterby"]
    assert shares[0][1] == pytest.approx(1.8 / 2.25)
    assert sum(s for _, s in shares) == pytest.approx(1.0)


def test_speakers_vote_unattributed_do_not_vote():
    assert vote([(None, 0.5), ("Jordan Vell", 0.2), ("", 0.9)]) == (("Jordan Vell", 1.0),)
    assert vote([(None, 0.5)]) == ()
    assert vote([]) == ()


def test_speakers_vote_surname_counts_for_the_one_full_name():
    shares = vote([("Varholm", 0.45), ("Ines Varholm", 0.45), ("Dunmarsh", 0.8)])
    assert shares[0] == ("Ines Varholm", pytest.approx(0.9 / 1.7))
    # Two full names share the surname: the bare surname stays a candidate of its own.
    names = [n for n, _ in vote([("Varholm", 0.5), ("Ines Varholm", 0.4), ("Jonas Varholm", 0.3)])]
    assert names == ["Varholm", "Ines Varholm", "Jonas Varholm"]


def test_speakers_vote_spelling_with_most_weight_and_folded_case():
    shares = vote([("Dr Halina Osterby", 0.3), ("halina osterby", 0.2), ("Halina Osterby", 0.9)])
    assert shares == (("Halina Osterby", 1.0),)


def test_speakers_vote_all_zero_confidence_counts_occurrences():
    assert vote([("A B", 0.0), ("A B", 0.0), ("C D", 0.0)]) == (("A B", pytest.approx(2 / 3)),
                                                                 ("C D", pytest.approx(1 / 3)))
