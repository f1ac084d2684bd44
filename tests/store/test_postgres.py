"""What only the PostgreSQL store has: URLs, passwords kept out of messages, several writers at once.

``test_store.py`` and ``test_migrations.py`` hold it, with SQLite, to the
results every store gives; these tests need a server too (``postgres_url``).
"""
from __future__ import annotations

import multiprocessing
from urllib.parse import urlsplit

import pytest
from cli_helpers import assert_one_line_error, run
from test_store import EXTRACTION, TEXT, article, result

from quotegraph import Corpus
from quotegraph.errors import QueryError, StoreError
from quotegraph.store import open_store
from quotegraph.store.backends import is_postgres, shown

pytest.importorskip("psycopg", reason="needs psycopg: pip install -e '.[test]'")


def with_password(url: str, password: str, database: str | None = None) -> str:
    parts = urlsplit(url)
    user = parts.username or "postgres"
    netloc = f"{user}:{password}@{parts.hostname}:{parts.port}"
    return parts._replace(netloc=netloc, path=f"/{database}" if database else parts.path).geturl()


@pytest.mark.parametrize(("url", "expected"), [
    ("postgresql://ann:s3cr%40t@db.example:5433/news", "postgresql://ann@db.example:5433/news"),
    ("postgres://ann@db.example/news?password=s3cret&sslmode=require",
     "postgres://ann@db.example/news?sslmode=require"),
    ("postgresql:///news?host=/run/postgresql", "postgresql:///news?host=/run/postgresql"),
    ("news.db", "news.db"),
])
def test_postgres_shown_url_has_no_password(url, expected):
    assert shown(url) == expected
    assert is_postgres(url) == (url != "news.db")


def test_postgres_unreachable_database_is_one_line_without_the_password(postgres_url):
    url = with_password(postgres_url, "s3cret-Pw", database="no_such_database")
    with pytest.raises(StoreError) as caught:
        open_store(url)
    message = str(caught.value)
    assert message.startswith(f"E032 {shown(url)}: cannot open the database (") and "no_such_database" in message
    assert "s3cret" not in message and "\n" not in message
    for args in (("ingest", "--sample"), ("search", "pier"), ("stats",)):
        result = run(*args, "--db", url)
        assert_one_line_error(result, "E032")
        assert "s3cret" not in result.output


def test_postgres_query_side_never_creates_a_corpus(postgres_url):
    with pytest.raises(StoreError, match=r"^E033 .*: no such corpus database; create it with `quotegraph ingest"):
        Corpus(postgres_url, create=False)
    assert_one_line_error(run("people", "--db", postgres_url), "E033")
    import psycopg

    with psycopg.connect(postgres_url) as db:
        assert db.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone() == (0,)


def test_postgres_database_of_another_program_is_refused(postgres_url):
    import psycopg

    with psycopg.connect(postgres_url, autocommit=True) as db:
        db.execute("CREATE TABLE articles (id serial PRIMARY KEY, headline text)")
    with pytest.raises(StoreError, match="^E030 .*: not a quotegraph database .*articles"):
        open_store(postgres_url)


def test_postgres_server_gone_midway_is_one_line(postgres_url):
    import psycopg

    store = open_store(postgres_url)
    store.write([(article(), result())], EXTRACTION)
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (store.db.info.backend_pid,))
    with pytest.raises(StoreError, match=r"^E035 .*: the database server failed or went away \(.*\); what was"):
        store.counts()
    store.close()
    again = open_store(postgres_url)
    assert again.counts()["articles"] == 1  # what was committed is kept
    again.close()


def test_postgres_search_matches_word_forms_and_short_words(postgres_url):
    store = open_store(postgres_url)
    store.write([(article(), result())], EXTRACTION)
    # Stemmed like SQLite's porter tokenizer, and no stop words dropped: "we will" must be there.
    for words, found in (("rebuilt piers", 0), ("rebuilding PIERS", 1), ("we will", 1), ("we won't", 0),
                         ("Marwood", 1), ("marwóod", 1)):
        assert len(store.search_clusters(words)) == found, words
    store.close()


# -- several writers ------------------------------------------------------------------------

def test_postgres_a_read_before_the_last_write_does_not_hold_clustering_back(postgres_url):
    with Corpus(postgres_url) as corpus:
        corpus.store.write([(article(), result())], EXTRACTION)
        assert len(list(corpus.store.occurrences())) == 2  # read, and no clustering follows
        other = TEXT.replace("Thursday", "Friday")
        corpus.store.write([(article("https://other.example/pier", text=other), result(other))], EXTRACTION)
        corpus.recluster()
        assert not corpus.clusters_stale and corpus.counts()["clusters"] == 3


def test_postgres_clusters_computed_before_a_write_are_left_to_the_writer(postgres_url):
    from quotegraph.cluster import Occurrence, cluster_quotes

    reader, writer = open_store(postgres_url), open_store(postgres_url)
    writer.write([(article(), result())], EXTRACTION)
    outdated = cluster_quotes(Occurrence(**o) for o in reader.occurrences())
    other = TEXT.replace("Thursday", "Friday")
    writer.write([(article("https://other.example/pier", text=other), result(other))], EXTRACTION)
    reader.replace_clusters(outdated, [])  # computed without the second article: not stored
    assert reader.counts()["clusters"] == 0 and reader.clusters_stale()
    current = cluster_quotes(Occurrence(**o) for o in writer.occurrences())
    writer.replace_clusters(current, [])
    assert writer.counts()["clusters"] == len(current) and not writer.clusters_stale()
    reader.close()
    writer.close()


def _writer(url: str, numbers: list[int], start: multiprocessing.synchronize.Barrier) -> None:
    """Write the articles ``numbers`` a few at a time, clustering after each write as ingest does."""
    start.wait()
    with Corpus(url) as corpus:
        for i in range(0, len(numbers), 3):
            batch = []
            for n in numbers[i:i + 3]:
                text = TEXT.replace("Thursday", f"day {n}")
                batch.append((article(f"https://harbour.example/pier/{n}", text=text), result(text)))
            corpus.store.write(batch, EXTRACTION)
            if corpus.store.clusters_stale():
                corpus.recluster()


def test_postgres_two_writer_processes_neither_double_nor_lose_rows(postgres_url):
    spawn = multiprocessing.get_context("spawn")
    start = spawn.Barrier(2)
    # Overlapping keys in opposite orders: both replace the same articles, in the other's order.
    writers = [spawn.Process(target=_writer, args=(postgres_url, numbers, start))
               for numbers in (list(range(0, 30)), list(range(44, 14, -1)))]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(timeout=120)
    assert [w.exitcode for w in writers] == [0, 0]
    with Corpus(postgres_url, create=False) as corpus:
        assert corpus.counts()["articles"] == 45
        assert corpus.counts()["quotes"] == corpus.counts()["people"] == 90
        per_article = corpus.store.db.execute(
            "SELECT count(*) FROM quotes GROUP BY article HAVING count(*) <> 2").fetchall()
        assert per_article == []
        # The clusters are those of the final articles: every quote in exactly one, nothing stale.
        assert not corpus.clusters_stale
        assert corpus.store.db.execute(
            "SELECT count(*), count(DISTINCT quote) FROM cluster_members").fetchone() == (90, 90)
        sizes = [row["numOccurrences"] for row in corpus.store.export_rows()]
        assert sum(sizes) == 90 and max(sizes) == 45  # "We will rebuild the pier," in every article


def test_postgres_time_limit_stops_a_store_query_waiting_on_a_lock(postgres_url):
    """A store method the server cancels under ``time_limit`` (here: waiting on another session's lock)
    ends in E059, like a slow SQLite query, not in the "server failed" E035; and the store goes on."""
    import psycopg

    store = open_store(postgres_url)
    store.write([(article(), result())], EXTRACTION)
    with psycopg.connect(postgres_url) as other:
        other.execute("LOCK TABLE quotes IN ACCESS EXCLUSIVE MODE")  # held until ``other`` ends its transaction
        with pytest.raises(QueryError, match="^E059 .* 0.2 s"), store.time_limit(0.2):
            store.search_quotes("pier")
    assert store.search_quotes("pier")["total"] == 1
    store.close()
