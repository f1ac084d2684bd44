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
from quotegraph.store.browse import MATCHES_SHOWN

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


# -- what the web pages read (store/browse.py, store/postgres_browse.py) --------------------

FILTERS = ({}, {"speaker": "marchbank"}, {"outlet": "gazette"}, {"since": "2026-04", "until": "2026-05"},
           {"type": "indirect"})


def shown(page: dict) -> dict:
    """A page of ``search_quotes`` as what it finds: each quote with how many occurrences matched and
    the matches shown with their marks. Relevance orders the matches too, so which ``MATCHES_SHOWN``
    of more are shown may differ: then only their number is compared."""
    return {q["id"]: (q["quotation"], q["matched"],
                      {m["key"]: m["marked"] for m in q["matches"]} if q["matched"] <= MATCHES_SHOWN
                      else len(q["matches"]))
            for q in page["quotes"]}


def order(page: dict) -> tuple[int, list]:
    return page["total"], [q["id"] for q in page["quotes"]]


@pytest.mark.parametrize("words", WORDS)
def test_corpus_backends_browse_search_finds_and_marks_the_same(both, words):
    sqlite, postgres = sqlite_and_postgres_stores(both)
    for filters in FILTERS:
        expected = sqlite.search_quotes(words, limit=100, **filters)
        found = postgres.search_quotes(words, limit=100, **filters)
        assert found["total"] == expected["total"] and shown(found) == shown(expected), filters
        assert postgres.search_facets(words, **filters) == sqlite.search_facets(words, **filters), filters
        # Sorted by date or repetition, the quotes' order is the data's, not a ranking's: the same on both.
        for sort in ("date", "occurrences"):
            assert (order(postgres.search_quotes(words, sort=sort, limit=7, offset=2, **filters))
                    == order(sqlite.search_quotes(words, sort=sort, limit=7, offset=2, **filters))), (filters, sort)


def test_corpus_backends_browse_without_words_lists_the_same(both):
    sqlite, postgres = sqlite_and_postgres_stores(both)
    for filters in FILTERS[1:]:
        expected = sqlite.search_quotes("", limit=100, **filters)
        assert expected["total"] and postgres.search_quotes("", limit=100, **filters) == expected, filters
        assert postgres.search_facets(None, **filters) == sqlite.search_facets(None, **filters), filters
    assert postgres.search_quotes(None) == sqlite.search_quotes(None) == {"total": 0, "quotes": []}


def test_corpus_backends_browse_pages_and_charts_alike(both):
    sqlite, postgres = sqlite_and_postgres_stores(both)
    for limit in (1, 5, 100):
        assert postgres.latest_quotes(limit) == sqlite.latest_quotes(limit)
        assert postgres.most_repeated_quotes(limit) == sqlite.most_repeated_quotes(limit)
    articles = sqlite.counts()["articles"]
    for article_id in range(1, articles + 2):  # and one past the last: None on both
        assert postgres.article_view(article_id) == sqlite.article_view(article_id)
    outlets = sqlite.outlets()
    assert postgres.outlets() == outlets and outlets
    for outlet in (None, *[o["outlet"] for o in outlets]):
        assert postgres.occurrences_by_day(outlet=outlet) == sqlite.occurrences_by_day(outlet=outlet)
        assert postgres.people(limit=4, offset=1, outlet=outlet) == sqlite.people(limit=4, offset=1, outlet=outlet)
        for by in ("month", "outlet"):
            assert (postgres.quoted_people_by_gender(by=by, outlet=outlet)
                    == sqlite.quoted_people_by_gender(by=by, outlet=outlet)), (by, outlet)
    for person in sqlite.people():
        assert postgres.person_activity(person["id"]) == sqlite.person_activity(person["id"])


def sqlite_and_postgres_stores(both):
    sqlite, postgres = both
    return sqlite.store, postgres.store
