"""The JSON API in-process (FastAPI's client) against the bundled sample corpus in a real SQLite file
and in a real PostgreSQL database: every test runs on both.

Answers are held to what ``Corpus`` returns for the same question, so the API
and the library cannot drift apart.
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from cli_helpers import run
from fastapi.testclient import TestClient
from serve_helpers import TOKEN

from quotegraph import Corpus
from quotegraph.serve import create_app
from quotegraph.serve.service import MAX_ARTICLE_CHARS

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def backend(request) -> str:
    return request.param


@pytest.fixture(scope="module")
def sample_db(backend, sample_corpora) -> str:
    """The sample corpus in this module's backend (tests/conftest.py's ``sample_db`` is SQLite's)."""
    return sample_corpora(backend)


@pytest.fixture(scope="module")
def client(sample_db):
    """The app over this backend's sample corpus, in-process, writing off, no rate limit."""
    with TestClient(create_app(sample_db, rate=None)) as client:
        yield client


@pytest.fixture(scope="module")
def corpus(sample_db):
    with Corpus(sample_db, create=False) as corpus:
        yield corpus


@pytest.fixture
def writable_db(backend, request, tmp_path) -> str:
    """A sample corpus of this backend for one test to write to: a new database, the sample ingested."""
    db = str(tmp_path / "writable.db") if backend == "sqlite" else request.getfixturevalue("postgres_url")
    result = run("ingest", "--sample", "--db", db, "--no-progress")
    assert result.exit_code == 0, result.output
    return db


def test_api_search_finds_the_quote_corpus_finds(client, corpus):
    answer = client.get("/api/quotes", params={"q": "not back down"}).json()
    assert answer["quotes"][0]["id"] == corpus.find_quote("not back down")
    assert answer["total"] == len(corpus.search("not back down", limit=100))
    hit = answer["quotes"][0]
    assert hit["speaker"] == corpus.quote(hit["id"])["speaker"]
    assert all(any(matched for _, matched in m["marked"]) for m in hit["matches"])


def test_api_search_filters_sorts_and_pages(client, corpus):
    whole = client.get("/api/quotes", params={"q": "the", "size": 100}).json()
    first = client.get("/api/quotes", params={"q": "the", "size": 4}).json()
    second = client.get("/api/quotes", params={"q": "the", "size": 4, "page": 2}).json()
    assert [q["id"] for q in first["quotes"] + second["quotes"]] == [q["id"] for q in whole["quotes"][:8]]
    assert first["pages"] == -(-whole["total"] // 4)
    by_count = client.get("/api/quotes", params={"q": "the", "sort": "occurrences", "size": 100}).json()
    counts = [q["occurrences"] for q in by_count["quotes"]]
    assert counts == sorted(counts, reverse=True)
    direct = client.get("/api/quotes", params={"q": "the", "type": "direct", "outlet": "gazette",
                                               "since": "2026-03", "until": "2026-03"}).json()
    expected = corpus.search("the", type="direct", outlet="gazette", since="2026-03", until="2026-03", limit=100)
    assert [q["id"] for q in direct["quotes"]] == [q["id"] for q in expected]


def test_api_search_facets_match_filtered_searches(client):
    answer = client.get("/api/quotes", params={"q": "the", "facets": "true"}).json()
    for speaker, n in answer["facets"]["speaker"][:3]:
        filtered = client.get("/api/quotes", params={"q": "the", "speaker": speaker, "size": 100}).json()
        assert filtered["total"] >= n
        assert sum(q["speaker"] == speaker for q in filtered["quotes"]) == n


@pytest.mark.parametrize(("params", "status", "code"), [
    ({"q": "x", "since": "March"}, 400, "E050"),
    ({"q": "x", "type": "quoted"}, 400, "E051"),
    ({"q": "x", "sort": "loudest"}, 400, "E062"),
    ({"q": "x", "size": 101}, 422, "E071"),
    ({"q": "x", "page": 0}, 422, "E071"),
    ({"q": "x", "page": 501}, 400, "E060"),
    ({"q": "x" * 501}, 400, "E061"),
])
def test_api_search_refuses_bad_arguments_with_a_message(client, params, status, code):
    answer = client.get("/api/quotes", params=params)
    assert answer.status_code == status
    assert answer.json()["error"].startswith(code + " ")


def test_api_quote_is_corpus_quote(client, corpus):
    quote_id = corpus.find_quote("not back down")
    answer = client.get(f"/api/quotes/{quote_id}").json()
    assert answer == corpus.quote(quote_id)
    assert answer["altered"] and any(o["variant"] == "altered" for o in answer["occurrences"])
    assert any(o["changes"] for o in answer["occurrences"])
    occurrence = answer["occurrences"][-1]["key"]
    assert client.get(f"/api/quotes/{occurrence}").json()["id"] == quote_id
    missing = client.get("/api/quotes/999999")
    assert missing.status_code == 404 and missing.json()["error"].startswith("E052 ")


def test_api_people_and_person(client, corpus):
    people = client.get("/api/people", params={"size": 5}).json()["people"]
    assert people == corpus.people(top=5)
    assert client.get("/api/people", params={"size": 5, "page": 2}).json()["people"] == corpus.people(top=10)[5:]
    top = people[0]
    person = client.get(f"/api/people/{top['id']}").json()
    assert person["name"] == top["name"] and person["quotes_total"] == top["quotes"]
    assert sum(n for _, n in person["activity"]["by_day"]) == top["occurrences"]
    assert set(person["outlets"]) >= {o for o, _ in person["activity"]["by_outlet"]}
    assert client.get("/api/people/999999").status_code == 404


def test_api_article_gives_every_span(client, corpus):
    article_id = client.get("/api/quotes", params={"q": "not back down"}).json()["quotes"][0]["matches"][0][
        "article_id"]
    article = client.get(f"/api/articles/{article_id}").json()
    stored, result = corpus.article(article["key"])
    assert article["text"] == stored.text
    assert [(q["start"], q["end"], q["speaker"]) for q in article["quotes"]] == sorted(
        (q.start, q.end, q.speaker) for q in result.quotes)
    for quote in article["quotes"]:
        assert article["text"][quote["start"]:quote["end"]] == quote["text"]
    assert client.get("/api/articles/999999").status_code == 404


def test_api_stats_are_corpus_stats(client, corpus):
    answer = client.get("/api/stats").json()
    assert {k: v for k, v in answer.items() if k != "outlets_list"} == corpus.stats()
    assert len(answer["outlets_list"]) == answer["outlets"]


def test_api_dashboard_series(client, corpus):
    answer = client.get("/api/dashboard").json()
    assert sum(n for _, n in answer["per_day"]) == corpus.stats()["occurrences"]
    assert answer["top_speakers"] == corpus.people(top=10)
    one = answer["outlets"][0]
    narrowed = client.get("/api/dashboard", params={"outlet": one["outlet"]}).json()
    assert sum(n for _, n in narrowed["per_day"]) == one["occurrences"]


def test_api_extract_returns_the_contract_and_stores_nothing(client, corpus):
    before = corpus.counts()
    text = '"We will rebuild the pier," said Elsa Marwood, who chairs the harbour board.'
    answer = client.post("/api/extract", json={"text": text, "date": "2026-03-04"})
    assert answer.status_code == 200
    result = answer.json()
    assert result["date"] == "2026-03-04"
    quote = result["quotes"][0]
    assert text[quote["start"]:quote["end"]] == "We will rebuild the pier" and quote["speaker"] == "Elsa Marwood"
    assert corpus.counts() == before


@pytest.mark.parametrize(("body", "status", "code"), [
    ({"txt": "no text field"}, 422, "E071"),
    ({"text": "   "}, 400, "E066"),
    ({"text": "x" * (MAX_ARTICLE_CHARS + 1)}, 400, "E061"),
    ({"text": "He said so.", "date": "yesterday"}, 400, "E050"),
])
def test_api_extract_refuses_bad_bodies(client, body, status, code):
    answer = client.post("/api/extract", json=body)
    assert answer.status_code == status and answer.json()["error"].startswith(code + " ")


def test_api_refuses_bodies_over_the_limit(sample_db):
    with TestClient(create_app(sample_db, max_body=2048, rate=None)) as small:
        declared = small.post("/api/extract", json={"text": "word " * 1000})
        assert declared.status_code == 413 and declared.json()["error"].startswith("E069 ")

        def chunks():  # no Content-Length: the guard counts the bytes as they arrive
            for _ in range(10):
                yield b"x" * 1024

        streamed = small.post("/api/extract", content=chunks(), headers={"content-type": "application/json"})
        assert streamed.status_code == 413
        assert small.post("/api/extract", json={"text": "He said so."}).status_code == 200


def test_api_invalid_json_is_a_clear_error(client):
    answer = client.post("/api/extract", content=b'{"text": ', headers={"content-type": "application/json"})
    assert answer.status_code == 422 and answer.json()["error"].startswith("E071 ")


def test_api_writing_is_off_without_a_token(client):
    answer = client.post("/api/articles", json={"text": "Anything."})
    assert answer.status_code == 403 and answer.json()["error"].startswith("E067 ")


def test_api_articles_need_the_token_and_are_then_searchable(writable_db):
    db = writable_db
    article = {"text": '"The lighthouse stays lit every night," said Morwen Tallis, the keeper.',
               "url": "https://lamp.example/story", "outlet": "Lamp Post", "date": "2026-07-01"}
    with TestClient(create_app(db, token=TOKEN, rate=None)) as writer:
        assert writer.post("/api/articles", json=article).status_code == 401
        wrong = writer.post("/api/articles", json=article, headers={"Authorization": "Bearer wrong"})
        assert wrong.status_code == 401 and wrong.headers["www-authenticate"] == "Bearer"
        assert writer.get("/api/quotes", params={"q": "lighthouse"}).json()["total"] == 0
        articles = writer.get("/api/stats").json()["articles"]
        done = writer.post("/api/articles", json=article, headers={"Authorization": f"Bearer {TOKEN}"})
        assert done.status_code == 200, done.text
        assert done.json()["added"] == 1 and done.json()["quotes"] >= 1
        found = writer.get("/api/quotes", params={"q": "lighthouse"}).json()
        assert found["total"] == 1 and found["quotes"][0]["speaker"] == "Morwen Tallis"
        assert writer.get("/api/stats").json()["articles"] == articles + 1  # cached totals were dropped
        assert "The lighthouse stays lit every night" in writer.get("/").text  # the latest quote
        batch = {"articles": [article, {**article, "url": "https://lamp.example/other", "text": "No quotes."}]}
        again = writer.post("/api/articles", json=batch, headers={"Authorization": f"Bearer {TOKEN}"}).json()
        assert (again["unchanged"], again["added"]) == (1, 1)
        empty = writer.post("/api/articles", json={"articles": []}, headers={"Authorization": f"Bearer {TOKEN}"})
        assert empty.status_code == 400 and empty.json()["error"].startswith("E065 ")


def test_api_rate_limits_expensive_requests_per_client(sample_db):
    with TestClient(create_app(sample_db, rate=0.01, burst=3)) as limited:
        answers = [limited.get("/api/quotes", params={"q": "ferry"}) for _ in range(4)]
        assert [a.status_code for a in answers] == [200, 200, 200, 429]
        assert answers[-1].json()["error"].startswith("E070 ") and int(answers[-1].headers["retry-after"]) >= 1
        assert limited.get("/api/stats").status_code == 200  # cheap reads are not counted


def test_api_answers_concurrent_requests_as_it_answers_one_at_a_time(client):
    """Requests run on a pool of threads, each with its own connection (SQLite's rule, and what keeps a
    PostgreSQL search's bounded transaction to itself): at once they get the answers they get alone."""
    asks = [("/api/quotes", {"q": words, "facets": "true"}) for words in ("the", "back down", "ferries", "we will")]
    asks += [("/api/people", {"size": 5}), ("/api/articles/1", {}), ("/api/people", {"size": 3, "page": 2})]
    alone = [client.get(path, params=params).json() for path, params in asks]
    with ThreadPoolExecutor(max_workers=8) as pool:
        together = list(pool.map(lambda ask: client.get(ask[0], params=ask[1]).json(), asks * 6))
    assert together == alone * 6


def test_api_openapi_lists_every_route(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/quotes", "/api/quotes/{quote_id}", "/api/people", "/api/people/{person_id}",
            "/api/articles/{article_id}", "/api/stats", "/api/extract", "/api/articles"} <= set(paths)
    docs = client.get("/docs").text
    for path in paths:
        assert path in docs
