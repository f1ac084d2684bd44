"""What the web pages read from a store (``store/browse.py``, ``store/postgres_browse.py``), on the
real sample corpus in SQLite and in PostgreSQL.

Each check holds a result to another way of getting the same answer: the query
commands' methods, the article texts, or a count over the results themselves.
"""
from __future__ import annotations

import pytest

from quotegraph import Corpus
from quotegraph.errors import QueryError
from quotegraph.store import open_store

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def store(request, sample_corpora):
    store = open_store(sample_corpora(request.param), create=False)
    yield store
    store.close()


def ids(found):
    return [q["id"] for q in found["quotes"]]


def test_browse_search_finds_what_search_clusters_finds(store):
    found = store.search_quotes("back down", limit=100)
    assert ids(found) == [q["id"] for q in store.search_clusters("back down", limit=100)]
    assert found["total"] == len(found["quotes"])
    with Corpus(store.where, create=False) as corpus:
        assert ids(found)[0] == corpus.find_quote("back down")


def test_browse_search_marks_the_matched_words(store):
    quote = store.search_quotes("honour", limit=1)["quotes"][0]
    for match in quote["matches"]:
        assert "".join(piece for piece, _ in match["marked"]).startswith(match["text"].split(" ... ")[0][:20])
        assert [piece.lower() for piece, hit in match["marked"] if hit] in (["honour"], ["honor"])


def test_browse_search_pages_are_one_list_cut_up(store):
    whole = ids(store.search_quotes("the", limit=100))
    assert len(whole) > 6
    pages = [ids(store.search_quotes("the", offset=offset, limit=3)) for offset in range(0, len(whole), 3)]
    assert [i for page in pages for i in page] == whole
    assert store.search_quotes("the", limit=3)["total"] == len(whole)


@pytest.mark.parametrize("sort", ["date", "occurrences"])
def test_browse_search_sorts(store, sort):
    quotes = store.search_quotes("the", sort=sort, limit=100)["quotes"]
    if sort == "date":
        keys = [max(m["date"] for m in q["matches"]) for q in quotes]
    else:
        keys = [q["occurrences"] for q in quotes]
    assert keys == sorted(keys, reverse=True) and len(set(keys)) > 1


def test_browse_search_without_words_lists_what_a_filter_passes(store):
    quotes = store.search_quotes("", speaker="marchbank", limit=100)["quotes"]
    assert quotes and all(any("Marchbank" in (m["speaker"] or "") for m in q["matches"]) or
                          "Marchbank" in (q["speaker"] or "") for q in quotes)
    assert store.search_quotes("", limit=10) == {"total": 0, "quotes": []}


def test_browse_facets_count_what_each_filter_finds(store):
    facets = store.search_facets("the")
    assert {"speaker", "outlet", "type", "month", "sampled"} == set(facets) and not facets["sampled"]
    for value, n in facets["type"]:
        assert store.search_quotes("the", type=value, limit=100)["total"] == n
    for value, n in facets["month"]:
        assert store.search_quotes("the", since=value, until=value, limit=100)["total"] == n
    for value, n in facets["outlet"]:
        assert store.search_quotes("the", outlet=value, limit=100)["total"] == n


def test_browse_facets_count_a_bounded_number_of_matches(store, monkeypatch):
    from quotegraph.store import browse

    monkeypatch.setattr(browse, "FACET_OCCURRENCES", 5)
    facets = store.search_facets("the")
    assert facets["sampled"] and 0 < sum(n for _, n in facets["type"]) <= 5
    assert not store.search_facets("not back down")["sampled"]  # 3 matches


def test_browse_latest_and_most_repeated(store):
    latest = store.latest_quotes(5)
    dates = [q["last_date"] for q in latest]
    assert len(latest) == 5 and dates == sorted(dates, reverse=True)
    assert dates[0] == store.stats()["last_date"]
    repeated = store.most_repeated_quotes(5)
    counts = [q["occurrences"] for q in repeated]
    assert counts == sorted(counts, reverse=True) and counts[-1] > 1
    assert counts[0] == max(row["numOccurrences"] for row in store.export_rows())


def test_browse_article_view_spans_point_into_its_text(store):
    article = store.article_view(1)
    text = article["text"]
    assert article["quotes"]
    for quote in article["quotes"]:
        assert text[quote["start"]:quote["end"]] == quote["text"]
        for start, end in quote["spans"]:
            assert 0 <= start < end <= len(text)
        for span in (quote["speaker_mention"], quote["cue"]):
            if span:
                assert text[span["start"]:span["end"]] == span["text"]
        if quote["quote"] is not None:
            assert quote["key"] in [o["key"] for o in store.cluster(quote["quote"])["occurrences"]]
    assert store.article_view(10_000) is None


def test_browse_person_activity_counts_their_occurrences(store):
    for person in store.people(limit=5):
        activity = store.person_activity(person["id"])
        assert sum(n for _, n in activity["by_day"]) == person["occurrences"]
        assert sum(n for _, n in activity["by_outlet"]) == person["occurrences"]


def test_browse_counts_over_days_and_outlets_add_up(store):
    stats = store.stats()
    assert sum(n for _, n in store.occurrences_by_day()) == stats["occurrences"]
    outlets = store.outlets()
    assert len(outlets) == stats["outlets"]
    assert sum(o["articles"] for o in outlets) == stats["articles"]
    assert sum(o["occurrences"] for o in outlets) == stats["occurrences"]
    one = outlets[0]["outlet"]
    assert sum(n for _, n in store.occurrences_by_day(outlet=one)) == outlets[0]["occurrences"]


def test_browse_quoted_people_by_gender_per_outlet(store):
    for outlet, genders in store.quoted_people_by_gender(by="outlet"):
        quoted = [p for p in store.people(outlet=outlet) if p["kind"] == "person" and p["occurrences"]]
        assert sum(genders.values()) == len(quoted)
        assert genders.get("female", 0) == sum(p["gender"] == "female" for p in quoted)
    months = store.quoted_people_by_gender(by="month")
    assert [m for m, _ in months] == sorted(m for m, _ in months)


def test_browse_people_pages(store):
    everyone = store.people()
    assert store.people(limit=3, offset=3) == everyone[3:6]


def test_store_time_limit_stops_a_long_query(store):
    endless = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n"
    with pytest.raises(QueryError, match="E059"), store.time_limit(0.05):
        store.db.execute(endless).fetchone()
    assert store.search_quotes("back down")["total"] == 1  # the connection still works, unbounded again
