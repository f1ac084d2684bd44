"""Every store against a real database, SQLite file and PostgreSQL alike: round trips,
replacement, atomicity, full-text search, clusters.

Each test runs once per backend (the ``db_where`` fixture) and holds both to the
same results. Results are built by hand, so no model is needed.
"""
from __future__ import annotations

import sqlite3

import pytest

from quotegraph.cluster import QuoteCluster, Variant
from quotegraph.model import ArticleResult, Person, Quote, Span
from quotegraph.options import Options
from quotegraph.store import Article, Extraction, open_store

TEXT = ('The harbour board met on Thursday. "We will rebuild the pier," said Elsa Marwood, 52, '
        "who chairs the board. She told @harbourboard followers that repairs start in May.")
EXTRACTION = Extraction.of(Options())


def article(key: str = "https://harbour.example/pier", text: str = TEXT, **fields) -> Article:
    return Article(key=key, text=text, text_hash=f"hash of {text[:20]}", extraction=EXTRACTION.version,
                   **{"source_id": "pier", "url": key, "title": "Pier", "outlet": "Harbour Gazette",
                      "date": "2026-03-04", **fields})


def result(text: str = TEXT, *, words: str = "We will rebuild the pier,") -> ArticleResult:
    start = text.index(words)
    marwood = Person(id="p1", name="Elsa Marwood", gender="female", descriptors=("chair",), age=52,
                     handles=("@harbourboard",), mentions=((text.index("Elsa"), text.index("Elsa") + 12),))
    board = Person(id="p2", name="harbour board", kind="organisation", mentions=((4, 17),))
    said = text.index("said")
    return ArticleResult(id="pier", date="2026-03-04", people=(marwood, board), quotes=(
        Quote(start=start, end=start + len(words), spans=((start, start + len(words)),),
              text=words, type="direct", speaker="Elsa Marwood", speaker_id="p1",
              speaker_mention=Span(said + 5, said + 17, "Elsa Marwood"), cue=Span(said, said + 4, "said"),
              channel="Instagram", confidence=0.9312, evidence="cue verb; named subject"),
        Quote(start=text.index("repairs"), end=text.index("May") + 3, spans=(), text="repairs start in May",
              type="indirect", confidence=0.4, evidence="reported clause"),
    ))


def matches(store, words: str) -> list[dict]:
    """The occurrences a search matched, across the quotes it found."""
    return [m for hit in store.search_clusters(words) for m in hit["matches"]]


@pytest.fixture
def store(db_where):
    store = open_store(db_where)
    yield store
    store.close()


def integrity_error(store) -> type[Exception]:
    """What the store's database raises for a row that breaks a constraint."""
    if isinstance(store.db, sqlite3.Connection):
        return sqlite3.IntegrityError
    import psycopg

    return psycopg.IntegrityError


def titles_matching(store, word: str) -> list[tuple[str]]:
    """Titles of the articles whose full-text index holds ``word``, read from the index itself."""
    if isinstance(store.db, sqlite3.Connection):
        return store.db.execute("SELECT title FROM articles_fts WHERE articles_fts MATCH ?", (word,)).fetchall()
    return store.db.execute("SELECT title FROM articles WHERE search @@ phraseto_tsquery('quotegraph_english', %s)",
                            (word,)).fetchall()


def test_store_round_trip_keeps_every_field(store):
    store.write([(article(), result())], EXTRACTION)
    stored, stored_result = store.article("https://harbour.example/pier")
    assert stored == article()
    assert stored_result == result()
    assert store.article("https://elsewhere.example/") is None


def test_store_revision_is_what_calls_for_extraction(store):
    assert store.revision("https://harbour.example/pier") is None
    store.write([(article(), result())], EXTRACTION)
    assert store.revision("https://harbour.example/pier") == article().revision
    assert article(source_id="other id").revision == article().revision
    assert article(title="New title").revision != article().revision


def test_store_write_replaces_what_a_key_held(store, tmp_path):
    store.write([(article(), result())], EXTRACTION)
    new_text = TEXT.replace("rebuild the pier", "close the pier for good")
    store.write([(article(text=new_text, title="Pier to close"),
                  result(new_text, words="We will close the pier for good,"))], EXTRACTION)
    assert store.counts() == {"articles": 1, "quotes": 2, "people": 2, "clusters": 0, "merged_people": 0}
    _, stored = store.article("https://harbour.example/pier")
    assert stored.quotes[0].text == "We will close the pier for good,"
    assert [q["text"] for q in matches(store, "close")] == ["We will close the pier for good,"]
    assert matches(store, "rebuild") == []
    assert titles_matching(store, "close") == [("Pier to close",)]
    assert titles_matching(store, "rebuild") == []


def test_store_write_is_one_transaction(store):
    bad = result()
    bad = ArticleResult(id=bad.id, date=bad.date, people=bad.people,
                        quotes=(Quote(start=0, end=3, spans=((0, 3),), text="The", type="rumour"),))
    with pytest.raises(integrity_error(store)):
        store.write([(article(), result()), (article("https://harbour.example/other"), bad)], EXTRACTION)
    assert store.counts()["articles"] == 0
    assert matches(store, "rebuild") == []


def test_store_search_takes_any_text(store):
    store.write([(article(), result())], EXTRACTION)
    assert [q["speaker"] for q in matches(store, "rebuilding PIERS")] == ["Elsa Marwood"]
    for text in ('"', "pier AND (", "NEAR(", "*", "-pier", ""):
        assert isinstance(matches(store, text), list)
    [hit] = matches(store, "pier")
    assert hit["article"] == "https://harbour.example/pier" and hit["outlet"] == "Harbour Gazette"








# -- clusters and merged people: the interface the clustering step fills ---------------------

def two_articles(store):
    other = TEXT.replace("Thursday", "Friday")
    store.write([(article(), result()),
                 (article("https://other.example/pier", text=other, outlet="Meridian Wire", date="2026-03-05"),
                  result(other))], EXTRACTION)
    return list(store.occurrences()), list(store.person_records())


def test_store_occurrences_and_people_have_the_cluster_fields(store):
    occurrences, people = two_articles(store)
    assert occurrences[0] == {"key": 1, "text": "We will rebuild the pier,", "type": "direct",
                              "article": "https://harbour.example/pier", "date": "2026-03-04",
                              "outlet": "Harbour Gazette", "speaker": "Elsa Marwood", "confidence": 0.9312}
    assert [o["article"] for o in occurrences] == [
        "https://harbour.example/pier", "https://harbour.example/pier", "https://other.example/pier",
        "https://other.example/pier"]
    assert people[0] == {"key": 1, "article": "https://harbour.example/pier", "name": "Elsa Marwood",
                         "gender": "female", "descriptors": ("chair",), "handles": ("@harbourboard",)}
    assert len(people) == 4


def test_store_replace_clusters_replaces_all_in_one_go(store):
    two_articles(store)
    quote = QuoteCluster(members=(1, 3), canonical=1, earliest=1, speakers=(("Elsa Marwood", 1.86),),
                         speaker="Elsa Marwood", altered=False,
                         variants=(Variant(1, "canonical", False, ()), Variant(3, "verbatim", False, ())))
    store.replace_clusters([quote], [(1, 3), (2, 4)])
    assert store.db.execute("SELECT * FROM clusters").fetchall() == [
        (1, 1, 1, "Elsa Marwood", '[["Elsa Marwood",1.86]]', 0)]
    assert store.db.execute("SELECT * FROM cluster_members ORDER BY quote").fetchall() == [
        (1, 1, "canonical", 0, "[]"), (3, 1, "verbatim", 0, "[]")]
    assert store.db.execute("SELECT * FROM merged_people ORDER BY id").fetchall() == [
        (1, "Elsa Marwood"), (2, "harbour board")]

    altered = QuoteCluster(members=(2, 4), canonical=2, earliest=2, speakers=(), speaker=None, altered=True,
                           variants=(Variant(4, "altered", True, (["replace", "May", "June"],)),))
    store.replace_clusters([altered], [])
    assert store.db.execute("SELECT id, canonical, altered FROM clusters").fetchall() == [(2, 2, 1)]
    assert store.db.execute("SELECT * FROM cluster_members ORDER BY quote").fetchall() == [
        (2, 2, None, None, None), (4, 2, "altered", 1, '[["replace","May","June"]]')]
    assert store.counts()["merged_people"] == 0


def test_store_occurrence_of_a_split_quote_leaves_out_its_attribution(store):
    text = '"We will rebuild," said Elsa Marwood, "the pier before May."'
    quote = Quote(start=1, end=59, spans=((1, 17), (39, 59)), text=text[1:59], type="direct",
                  speaker="Elsa Marwood", confidence=0.9, evidence="cue verb")
    store.write([(article(text=text), ArticleResult(id="pier", date="2026-03-04", quotes=(quote,)))], EXTRACTION)
    [occurrence] = store.occurrences()
    assert occurrence["text"] == "We will rebuild, ... the pier before May."


def test_store_clusters_are_stale_from_an_article_write_to_the_next_cluster_write(store):
    assert not store.clusters_stale()
    two_articles(store)
    assert store.clusters_stale()
    store.replace_clusters([], [])
    assert not store.clusters_stale()
    with pytest.raises(integrity_error(store)):  # a failed write leaves the flag as it was
        store.write([(article("https://x.example/"), ArticleResult(id="x", date=None, quotes=(
            Quote(start=0, end=3, spans=(), text="The", type="rumour"),)))], EXTRACTION)
    assert not store.clusters_stale()


def test_store_replace_clusters_with_an_unknown_key_keeps_the_old(store):
    two_articles(store)
    store.replace_clusters([QuoteCluster((1, 3), 1, 1, (), None, (), False)], [(1, 3)])
    with pytest.raises(integrity_error(store)):
        store.replace_clusters([QuoteCluster((1, 99), 1, 1, (), None, (), False)], [])
    assert store.db.execute("SELECT quote FROM cluster_members ORDER BY quote").fetchall() == [(1,), (3,)]
    assert store.counts()["merged_people"] == 1


def test_store_reextracted_article_leaves_its_clusters(store):
    two_articles(store)
    store.replace_clusters([QuoteCluster((1, 3), 1, 3, (), None, (), False)], [(1, 3)])
    store.write([(article(title="Updated"), result())], EXTRACTION)
    assert store.db.execute("SELECT canonical, earliest FROM clusters").fetchall() == [(None, 3)]
    assert store.db.execute("SELECT quote FROM cluster_members").fetchall() == [(3,)]
    assert store.db.execute("SELECT person FROM merged_people_members").fetchall() == [(3,)]


def test_store_search_filters_take_user_text_literally(store):
    store.write([(article(), result())], EXTRACTION)
    assert [m["key"] for m in matches(store, "pier")] == [1]
    for outlet, found in (("harbour gaz", 1), ("%", 0), ("_arbour", 0), ("'; DROP TABLE quotes; --", 0)):
        assert len(store.search_clusters("pier", outlet=outlet)) == found, outlet
    assert len(store.search_clusters("pier", speaker="MARWOOD")) == 1
    assert store.search_clusters("pier", since="2026-03-05") == []
    assert len(store.search_clusters("pier", until="2026-03")) == 1
    [unclustered] = store.search_clusters("pier")
    assert unclustered["id"] is None and unclustered["quotation"] == "We will rebuild the pier,"


def test_store_summaries_of_more_quotes_than_one_statement_binds(store):
    from quotegraph.cluster import Occurrence, cluster_quotes
    from quotegraph.store.queries import IDS_PER_STATEMENT  # SQLite's limit: PostgreSQL takes an array

    n = IDS_PER_STATEMENT * 2 + 1
    text = " ".join(f"Quote number {i} is here." for i in range(n))
    quotes = tuple(Quote(start=(s := text.index(f"Quote number {i} ")), end=s + len(f"Quote number {i} is here"),
                         spans=(), text=f"Quote number {i} is here", type="direct", confidence=0.5, evidence="-")
                   for i in range(n))
    store.write([(article(text=text), ArticleResult(id="many", date="2026-03-04", quotes=quotes))], EXTRACTION)
    store.replace_clusters(cluster_quotes(Occurrence(**o) for o in store.occurrences()), [])
    ids = [row["quoteID"] for row in store.export_rows()]
    assert len(ids) == n
    assert [s["id"] for s in store.cluster_summaries(ids[::-1])] == ids[::-1]
