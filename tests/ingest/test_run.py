"""Ingest end to end with the real engine: every format lands, bad input is skipped, re-runs change nothing.

Articles are fictional (``ingest_fixtures``) or the HTML pages in ``tests/fixtures/ingest``.
"""
from __future__ import annotations

import json

import pytest
from ingest_fixtures import (
    FIXTURES,
    canonical_dump,
    fictional_articles,
    write_jsonl,
    write_warc,
)

import quotegraph
from quotegraph import Corpus
from quotegraph.ingest import run
from quotegraph.ingest.identity import article_key, text_hash
from quotegraph.options import Options
from quotegraph.store import Article

pytestmark = pytest.mark.slow


def ingest(db, paths, **kwargs):
    errors: list[str] = []
    with Corpus(db) as corpus:
        stats = corpus.ingest([str(p) for p in paths], on_skip=lambda e: errors.append(str(e)), **kwargs)
        counts = corpus.counts()
    return stats, counts, errors


@pytest.fixture
def mixed(tmp_path):
    """A folder of every format, with one article in each kind of bad input beside them."""
    folder = tmp_path / "in"
    articles = list(fictional_articles(6))
    write_jsonl(folder / "feed.jsonl", articles[:3])
    write_jsonl(folder / "older" / "feed.jsonl.gz", articles[3:], compress=True)
    (folder / "pages").mkdir()
    (folder / "pages" / "pier.html").write_bytes((FIXTURES / "pier-repairs.html").read_bytes())
    write_warc(folder / "crawl.warc.gz", [
        ("https://skarrow-islander.example/ferry", "text/html", 200, (FIXTURES / "ferry-timetable.html").read_bytes())])
    (folder / "sample.txt").write_text(" date 2026-03-02 " + articles[0]["text"].replace("Tuesday", "Monday"),
                                       encoding="utf-8")
    return folder


def add_bad_input(folder):
    """An unreadable file, a malformed JSON line, a binary file and an HTML page with no article."""
    (folder / "bad").mkdir()
    (folder / "bad" / "latin1.txt").write_bytes("Caf\xe9 owners said the pier must reopen.".encode("latin-1"))
    with (folder / "feed.jsonl").open("a", encoding="utf-8") as feed:
        feed.write('{"id": "torn", "text": "The line ends before its closing\n')
    (folder / "bad" / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    (folder / "bad" / "index.html").write_bytes((FIXTURES / "section-index.html").read_bytes())
    (folder / "bad" / "truncated.jsonl.gz").write_bytes(b"\x1f\x8b\x08\x00garbage")


def test_ingest_every_format_lands_and_bad_input_is_reported(mixed, tmp_path):
    add_bad_input(mixed)
    stats, counts, errors = ingest(tmp_path / "c.db", [mixed])
    assert sorted(e[:4] for e in errors) == ["E012", "E013", "E015", "E020", "E021"]
    assert any("feed.jsonl, line 4" in e for e in errors)
    assert stats.skipped == 5
    assert (stats.read, stats.added, counts["articles"]) == (9, 9, 9)
    assert stats.quotes == counts["quotes"] > 9
    with Corpus(tmp_path / "c.db") as corpus:
        pier, _ = corpus.article("https://harbour-gazette.example/news/2026/03/pier-repairs-delayed")
        assert (pier.title, pier.outlet, pier.date, pier.source_id) == (
            "Pier repairs delayed again", "Harbour Gazette", "2026-03-04", "pier")
        ferry, result = corpus.article("https://skarrow-islander.example/ferry")
        assert ferry.source_id.startswith("<urn:uuid:")
        assert any(q.speaker == "Priya Lindqvist" for q in result.quotes)
        text = (mixed / "sample.txt").read_text(encoding="utf-8")
        sample, _ = corpus.article(f"sha256:{text_hash(text)}")
        assert (sample.source_id, sample.date, sample.url) == ("sample", "2026-03-02", None)
        assert [hit["speaker"] for hit in corpus.search("stranded")] == ["Islanders"]
        assert {m["speaker"] for hit in corpus.search("numbers support timetable") for m in hit["matches"]} == {
            "Priya Lindqvist"}


def test_ingest_stores_what_extract_returns(mixed, tmp_path):
    ingest(tmp_path / "c.db", [mixed / "feed.jsonl", mixed / "pages"])
    with Corpus(tmp_path / "c.db") as corpus:
        for record in fictional_articles(3):
            article, stored = corpus.article(article_key(record["url"], ""))
            fresh = quotegraph.extract(record["text"], date=record["date"], id=record["id"], options=corpus.options)
            assert stored.to_dict() == fresh.to_dict()
            assert (article.title, article.outlet, article.text) == (record["title"], record["outlet"], record["text"])


def test_ingest_twice_changes_nothing(mixed, tmp_path):
    db = tmp_path / "c.db"
    first, _, _ = ingest(db, [mixed])
    before = canonical_dump(db)
    again, _, _ = ingest(db, [mixed])
    assert canonical_dump(db) == before
    assert (again.read, again.unchanged, again.extracted, again.quotes) == (first.read, first.read, 0, 0)


def test_ingest_changed_article_replaces_its_results(tmp_path, db_where):
    db = db_where
    articles = list(fictional_articles(4))
    write_jsonl(tmp_path / "feed.jsonl", articles)
    ingest(db, [tmp_path / "feed.jsonl"])
    changed = dict(articles[1], text=articles[1]["text"].replace("whatever it costs", "if the money comes"))
    write_jsonl(tmp_path / "feed.jsonl", [articles[0], changed, *articles[2:]])
    stats, counts, _ = ingest(db, [tmp_path / "feed.jsonl"])
    assert (stats.replaced, stats.unchanged, stats.added) == (1, 3, 0)
    assert counts["articles"] == 4
    with Corpus(db) as corpus:
        article, stored = corpus.article(article_key(changed["url"], ""))
        assert article.text == changed["text"]
        fresh = quotegraph.extract(changed["text"], date=changed["date"], id=changed["id"], options=corpus.options)
        assert stored.to_dict() == fresh.to_dict()
        def articles_matching(words):
            return {m["article"] for hit in corpus.search(words) for m in hit["matches"]}

        assert articles_matching("money comes") == {article.key}
        assert articles_matching("whatever costs") == {article_key(a["url"], "") for a in (articles[0], *articles[2:])}


def test_ingest_clusters_what_it_stored(tmp_path):
    db = tmp_path / "c.db"
    write_jsonl(tmp_path / "feed.jsonl", fictional_articles(6))
    ingest(db, [tmp_path / "feed.jsonl"])
    dump = canonical_dump(db)
    assert dump["corpus_state"] == [("clusters_stale", 0)]
    # Every quote occurrence and every per-article person is in exactly one cluster or merged person.
    assert len(dump["cluster_members"]) == len(dump["quotes"])
    assert len(dump["merged_people_members"]) == len(dump["people"])
    assert len(dump["clusters"]) < len(dump["quotes"])  # "We will rebuild the north pier ..." recurs


def test_ingest_killed_before_clustering_is_clustered_by_the_next_run(tmp_path):
    feed = write_jsonl(tmp_path / "feed.jsonl", fictional_articles(6))
    ingest(tmp_path / "whole.db", [feed])
    with Corpus(tmp_path / "cut.db") as corpus:
        run.ingest(corpus.store, [str(feed)])  # the articles, as if killed before clustering
        assert corpus.store.clusters_stale() and corpus.counts()["clusters"] == 0
    stats, counts, _ = ingest(tmp_path / "cut.db", [feed])
    assert stats.unchanged == 6 and counts["clusters"] > 0
    assert canonical_dump(tmp_path / "cut.db") == canonical_dump(tmp_path / "whole.db")


def test_ingest_first_record_of_a_key_wins_every_run(tmp_path):
    db = tmp_path / "c.db"
    first, second = fictional_articles(2)
    shouted = first["url"].replace("https://", "HTTP://").replace(".example", ".EXAMPLE")
    second = dict(second, url=shouted + "/?utm_source=feed")
    write_jsonl(tmp_path / "feed.jsonl", [first, second])
    stats, counts, _ = ingest(db, [tmp_path / "feed.jsonl"])
    assert (stats.added, stats.duplicates, counts["articles"]) == (1, 1, 1)
    before = canonical_dump(db)
    stats, _, _ = ingest(db, [tmp_path / "feed.jsonl"])
    assert (stats.unchanged, stats.duplicates, stats.extracted) == (1, 1, 0)
    assert canonical_dump(db) == before


def test_ingest_two_jobs_give_the_same_database(tmp_path):
    write_jsonl(tmp_path / "feed.jsonl", fictional_articles(40))
    ingest(tmp_path / "one.db", [tmp_path / "feed.jsonl"], batch=8)
    ingest(tmp_path / "two.db", [tmp_path / "feed.jsonl"], jobs=2, batch=8)
    assert canonical_dump(tmp_path / "two.db") == canonical_dump(tmp_path / "one.db")


def test_ingest_reports_progress(tmp_path):
    path = write_jsonl(tmp_path / "feed.jsonl", fictional_articles(20))
    seen = []
    with Corpus(tmp_path / "c.db") as corpus:
        stats = corpus.ingest([str(path)], on_progress=lambda s: seen.append((s.read, s.quotes, s.bytes_done)))
    assert seen[-1] == (20, stats.quotes, path.stat().st_size)
    assert stats.bytes_total == path.stat().st_size and stats.articles_per_second > 0
    assert json.dumps(seen)  # plain numbers a front end can show


def test_ingest_workers_never_drain_the_input():
    """With 2 jobs, at most ``IN_FLIGHT * jobs`` chunks are read ahead of the results written."""
    pulled = 0

    def chunks():
        nonlocal pulled
        for i, record in enumerate(fictional_articles(40)):
            pulled += 1
            article = Article(key=str(i), text=record["text"], text_hash="", extraction="")
            yield [(article, True)]

    ahead = []
    for done, (chunk, results) in enumerate(run._extracted(chunks(), 2, Options()), 1):
        assert len(results) == len(chunk) == 1
        ahead.append(pulled - done)
    assert len(ahead) == 40
    assert max(ahead) <= run.IN_FLIGHT * 2
