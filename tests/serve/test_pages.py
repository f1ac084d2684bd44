"""The HTML pages in-process: what each shows, that they show what the API returns, and that
untrusted article text stays text everywhere (a hostile article's payloads are escaped on every
page and never become links or scripts)."""
from __future__ import annotations

import html
import re

import pytest
from serve_helpers import HOSTILE
from fastapi.testclient import TestClient

from quotegraph.serve import create_app

pytestmark = pytest.mark.slow

# Markup that must never reach a page from article data.
RAW_PAYLOADS = ("<script>alert", "<img src=x", "<svg onload", "<b onmouseover", 'href="javascript:',
                "<a href=\"javascript:", "onerror=alert(2)>")


def pages(client, *, q: str) -> dict[str, str]:
    """Every page of the site over the client's corpus, the quote, person and article pages
    taken from the first hit of a search for ``q``."""
    hit = client.get("/api/quotes", params={"q": q}).json()["quotes"][0]
    quote = client.get(f"/api/quotes/{hit['id']}").json()
    person = next(o["person"] for o in quote["occurrences"] if o["person"] is not None)
    urls = {"home": "/", "search": f"/search?q={q}", "quote": f"/quotes/{hit['id']}", "people": "/people",
            "person": f"/people/{person}", "article": f"/articles/{hit['matches'][0]['article_id']}",
            "dashboard": "/dashboard", "extract": "/extract", "docs": "/docs"}
    out = {}
    for name, url in urls.items():
        answer = client.get(url)
        assert answer.status_code == 200, (url, answer.text[:300])
        assert answer.headers["content-type"].startswith("text/html")
        out[name] = answer.text
    return out


def test_pages_every_page_renders_without_inline_code(client):
    for name, body in pages(client, q="not back down").items():
        assert not re.search(r"<script(?![^>]*\bsrc=)", body), name
        assert not re.search(r"\sstyle=", body), name
        assert not re.search(r"\son[a-z]+=", body), name


def test_pages_send_a_strict_content_security_policy(client):
    for url in ("/", "/api/stats", "/search?q=ferry", "/nope"):
        policy = client.get(url).headers["content-security-policy"]
        assert "default-src 'none'" in policy and "script-src 'self'" in policy and "style-src 'self'" in policy
        assert "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy


def test_pages_search_shows_facets_and_highlights(client):
    body = client.get("/search", params={"q": "not back down"}).text
    assert '<mark class="hit">back</mark>' in body and '<mark class="hit">down</mark>' in body
    assert "Delia Marchbank" in body and "Speaker" in body and "Outlet" in body
    assert 'href="?q=not+back+down&amp;sort=relevance&amp;outlet=Harbour+Gazette"' in body


def test_pages_quote_shows_variants_as_a_word_diff(client):
    quote_id = client.get("/api/quotes", params={"q": "not back down"}).json()["quotes"][0]["id"]
    body = client.get(f"/quotes/{quote_id}").text
    assert "<ins>step</ins>" in body and "<del>have</del>" in body
    assert "First seen" in body and "Coastline Courier" in body and "ALTERED" in body
    assert body.count('class="dot ') == len(client.get(f"/api/quotes/{quote_id}").json()["occurrences"])


def test_pages_article_marks_every_quote_in_its_speaker_colour(client):
    article = client.get("/api/articles/2").json()
    body = client.get("/articles/2").text
    assert body.count('tabindex="0"') == len(article["quotes"])
    colours = {}
    for quote in article["quotes"]:
        mark = re.search(rf'<mark class="quote (c\d|cnone)" id="occ-{quote["key"]}"[^>]*data-tip="([^"]*)"', body)
        assert mark, quote["text"]
        colours.setdefault(quote["speaker_id"], set()).add(mark[1])
        assert html.unescape(mark[2]).startswith(f"Speaker: {quote['speaker'] or 'unattributed'}")
    assert all(len(c) == 1 for c in colours.values())  # one colour per speaker


def test_pages_errors_are_pages_with_the_message(client):
    answer = client.get("/quotes/999999")
    assert answer.status_code == 404 and "E052 " in answer.text
    answer = client.get("/search", params={"q": "ferry", "since": "soon"})
    assert answer.status_code == 400 and "E050 " in answer.text


def test_pages_extract_annotates_a_pasted_article(client):
    text = '"We will rebuild the pier," said Elsa Marwood. <script>alert(1)</script>'
    body = client.post("/extract", data={"text": text, "date": ""}).text
    assert 'class="quote c0"' in body and "Elsa Marwood" in body
    assert "<script>alert(1)" not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    bad = client.post("/extract", data={"text": "  "})
    assert bad.status_code == 400 and "E066 " in bad.text


@pytest.fixture(scope="module")
def hostile(hostile_db):
    with TestClient(create_app(hostile_db, rate=None)) as client:
        yield client


def test_pages_escape_a_hostile_article_everywhere(hostile):
    found = hostile.get("/api/quotes", params={"q": "rebuild pier"}).json()["quotes"]
    assert found, "the hostile article's quote was not stored"
    bodies = pages(hostile, q="rebuild pier")
    bodies["outlet search"] = hostile.get("/search", params={"outlet": HOSTILE["outlet"]}).text
    bodies["dashboard of the outlet"] = hostile.get("/dashboard", params={"outlet": HOSTILE["outlet"]}).text
    for name, body in bodies.items():
        for payload in RAW_PAYLOADS:
            assert payload not in body, (name, payload)
    article = bodies["article"]
    assert "&lt;script&gt;alert(&#34;xss&#34;)&lt;/script&gt;" in article  # shown, as text
    assert html.escape(HOSTILE["outlet"]) in article or "&lt;svg onload" in article
    assert "javascript:alert(&#34;url&#34;)" in article  # the URL is shown, not linked


def test_api_answers_hostile_text_as_json_only(hostile):
    answer = hostile.get("/api/quotes", params={"q": "rebuild pier"})
    assert answer.headers["content-type"] == "application/json"
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert "<script>" in answer.json()["quotes"][0]["matches"][0]["text"]  # the data, unchanged
