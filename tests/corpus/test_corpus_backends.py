"""Must show 2 of issue 5: the same corpus gives the same answers from SQLite and from PostgreSQL.

The bundled samples go through ``quotegraph ingest`` into each backend
(``sample_corpora``), so ids, clusters and merged people come out of the same
input order, and every query of ``Corpus`` is compared whole. Search ranks by
each database's own relevance (FTS5's bm25, PostgreSQL's ``ts_rank_cd`` with
trigram similarity), so searches are compared as the quotes and occurrences
they find, not their order.
"""
from __future__ import annotations

import pytest

from quotegraph import Corpus

pytestmark = pytest.mark.slow  # the sample corpus is extracted by the model, once per backend

WORDS = ("back down", "the", "goalkeeper", "viaduct cracks", "ferries", "we will", "nothing-matches-this")


@pytest.fixture(scope="module")
def both(sample_corpora):
    with Corpus(sample_corpora("sqlite"), create=False) as sqlite, \
            Corpus(sample_corpora("postgresql"), create=False) as postgres:
        yield sqlite, postgres


def found(hits: list[dict]) -> dict:
    return {(hit["id"], hit["quotation"]): sorted(m["key"] for m in hit["matches"]) for hit in hits}


def test_corpus_backends_store_the_same_corpus(both):
    sqlite, postgres = both
    assert sqlite.counts() == postgres.counts() and sqlite.counts()["clusters"] > 0
    rows = list(sqlite.store.export_rows())
    assert list(postgres.store.export_rows()) == rows
    for row in rows:
        assert postgres.quote(row["quoteID"]) == sqlite.quote(row["quoteID"])
        for key in row["articles"]:
            assert postgres.article(key) == sqlite.article(key)


def test_corpus_backends_answer_people_and_totals_alike(both):
    sqlite, postgres = both
    people = sqlite.people(top=None)
    assert postgres.people(top=None) == people and postgres.people(top=3) == people[:3]
    for person in people:
        assert postgres.person(person["name"]) == sqlite.person(person["name"])
    assert postgres.stats() == sqlite.stats()


@pytest.mark.parametrize("words", WORDS)
def test_corpus_backends_search_finds_the_same(both, words):
    sqlite, postgres = both
    for filters in ({}, {"speaker": "marchbank"}, {"outlet": "gazette"}, {"since": "2026-04", "until": "2026-05"},
                    {"type": "indirect"}):
        expected = found(sqlite.search(words, limit=1000, **filters))
        assert expected or filters or words == "nothing-matches-this"
        assert found(postgres.search(words, limit=1000, **filters)) == expected, filters
