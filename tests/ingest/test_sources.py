"""What ingest reads: HTML pages, WARC crawls, gzipped JSONL, folders of all of them; and article identity.

No model is needed: these tests stop at the records.
"""
from __future__ import annotations

import gzip
import hashlib
import io

import pytest
from ingest_fixtures import FIXTURES, fictional_articles, write_jsonl, write_warc

from quotegraph.errors import InputError
from quotegraph.ingest.identity import article_key, normalise_url, text_hash
from quotegraph.ingest.sources import FORMATS, html_record, sources


def read(paths, errors=None):
    collected = [] if errors is None else errors
    return list(sources([str(p) for p in paths], on_skip=lambda e: collected.append(str(e))))


def page(name: str) -> bytes:
    return (FIXTURES / f"{name}.html").read_bytes()


# -- identity ----------------------------------------------------------------------------

@pytest.mark.parametrize("url, normal", [
    ("https://harbour-gazette.example/news/pier", "https://harbour-gazette.example/news/pier"),
    ("HTTP://Harbour-Gazette.EXAMPLE:80/news/pier/", "https://harbour-gazette.example/news/pier"),
    ("https://harbour-gazette.example:443/news/pier#comments", "https://harbour-gazette.example/news/pier"),
    ("https://harbour-gazette.example/news/pier?utm_source=feed&utm_medium=rss&fbclid=x1",
     "https://harbour-gazette.example/news/pier"),
    ("https://harbour-gazette.example/story?page=2&id=7", "https://harbour-gazette.example/story?id=7&page=2"),
    ("https://harbour-gazette.example/News/Pier", "https://harbour-gazette.example/News/Pier"),
    ("https://harbour-gazette.example:8443/pier", "https://harbour-gazette.example:8443/pier"),
    ("https://harbour-gazette.example", "https://harbour-gazette.example/"),
    ("http://[::1]:8080/pier", "https://[::1]:8080/pier"),
    ("ftp://harbour-gazette.example/pier", None),
    ("pier.html", None),
    ("http://[::1/pier", None),
])
def test_identity_normalise_url(url, normal):
    assert normalise_url(url) == normal


def test_identity_key_is_the_url_else_the_text_hash():
    digest = text_hash("Some text.")
    assert digest == hashlib.sha256(b"Some text.").hexdigest()
    assert article_key("https://a.example/x/?utm_campaign=z", digest) == "https://a.example/x"
    assert article_key(None, digest) == f"sha256:{digest}"
    assert article_key("not a url", digest) == f"sha256:{digest}"


# -- HTML --------------------------------------------------------------------------------

def test_sources_html_page_gives_text_and_metadata():
    record = html_record(page("pier-repairs"), where="pier-repairs.html", id="pier-repairs")
    assert record["url"] == "https://harbour-gazette.example/news/2026/03/pier-repairs-delayed"
    assert record["title"] == "Pier repairs delayed again"
    assert record["date"] == "2026-03-04"
    assert record["outlet"] == "Harbour Gazette"
    paragraphs = record["text"].split("\n\n")
    assert paragraphs[1].startswith("The harbour board met on Thursday evening")
    assert '"We cannot keep patching it every spring," said Elsa Marwood' in paragraphs[2]
    assert not any(word in record["text"] for word in ("Sport", "Privacy", "Copyright"))


def test_sources_fetch_url_wins_over_the_canonical_link():
    record = html_record(page("pier-repairs"), where="w", id="x", url="https://mirror.example/pier")
    assert record["url"] == "https://mirror.example/pier"


@pytest.mark.parametrize("data, code", [
    (page("section-index"), "E020"),
    (b"", "E020"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "E013"),
])
def test_sources_html_without_an_article_is_refused(data, code):
    with pytest.raises(InputError, match=f"{code} page.html"):
        html_record(data, where="page.html", id="page")


# -- WARC --------------------------------------------------------------------------------

def test_sources_warc_reads_html_responses_only(tmp_path):
    warc = write_warc(tmp_path / "crawl.warc.gz", [
        ("https://harbour-gazette.example/pier?utm_source=x", "text/html; charset=utf-8", 200, page("pier-repairs")),
        ("https://harbour-gazette.example/logo.png", "image/png", 200, b"\x89PNG\r\n\x1a\n\x00"),
        ("https://harbour-gazette.example/old", "text/html", 301, b"<html>Moved</html>"),
        ("https://harbour-gazette.example/news", "text/html", 200, page("section-index")),
        ("https://skarrow-islander.example/ferry", "application/xhtml+xml", 200, page("ferry-timetable")),
    ])
    errors: list[str] = []
    records = read([warc], errors)
    assert [r["url"] for r in records] == ["https://harbour-gazette.example/pier?utm_source=x",
                                          "https://skarrow-islander.example/ferry"]
    assert all(r["id"].startswith("<urn:uuid:") for r in records)
    assert records[1]["outlet"] == "Skarrow Islander"
    assert len(errors) == 1 and errors[0].startswith("E020 ") and "https://harbour-gazette.example/news" in errors[0]


def test_sources_uncompressed_warc(tmp_path):
    warc = write_warc(tmp_path / "crawl.warc", [("https://a.example/pier", "text/html", 200, page("pier-repairs"))])
    assert [r["title"] for r in read([warc])] == ["Pier repairs delayed again"]


def test_sources_damaged_warc_keeps_the_pages_before_the_damage(tmp_path):
    pages = [(f"https://a.example/{name}", "text/html", 200, page(name))
             for name in ("pier-repairs", "ferry-timetable")]
    data = write_warc(tmp_path / "good.warc", pages).read_bytes()
    third = data.index(b"WARC/1.0", data.index(b"WARC/1.0", data.index(b"WARC/1.0") + 1) + 1)
    broken = tmp_path / "broken.warc"
    broken.write_bytes(data[:third] + b"JUNK" + data[third + 4:])  # the second page's response
    errors: list[str] = []
    assert [r["url"] for r in read([broken, FIXTURES / "pier-repairs.html"], errors)] == [
        "https://a.example/pier-repairs", "https://harbour-gazette.example/news/2026/03/pier-repairs-delayed"]
    assert len(errors) == 1 and errors[0].startswith("E022 ") and errors[0].endswith("(Invalid WARC record)")


def test_sources_not_a_warc_is_reported(tmp_path):
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(b"A plain text file that only has the name of a crawl.\n" * 3)
    with pytest.raises(InputError, match="E022 .*crawl.warc.gz: not a readable WARC file .*records are not where"):
        read([path])


# -- gzipped JSONL -----------------------------------------------------------------------

def test_sources_jsonl_gz_is_streamed_with_metadata(tmp_path):
    articles = list(fictional_articles(3))
    path = write_jsonl(tmp_path / "feed.jsonl.gz", articles, compress=True)
    assert read([path]) == articles


def test_sources_jsonl_gz_ids_come_from_the_name_without_its_ending(tmp_path):
    path = write_jsonl(tmp_path / "feed.jsonl.gz", [{"text": "One."}, {"text": "Two."}], compress=True)
    assert [r["id"] for r in read([path])] == ["feed:1", "feed:2"]


def test_sources_truncated_jsonl_gz_keeps_what_came_before(tmp_path):
    lines = b"".join(b'{"text": "Article %d with some words in it."}\n' % i for i in range(2000))
    path = tmp_path / "feed.jsonl.gz"
    path.write_bytes(gzip.compress(lines)[:3000])
    errors: list[str] = []
    records = read([path, FIXTURES / "pier-repairs.html"], errors)
    assert 0 < len(records) - 1 < 2000
    assert len(errors) == 1 and errors[0].startswith("E021 ")


# -- folders and progress ----------------------------------------------------------------

def test_sources_folder_holds_every_format(tmp_path):
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "pier.html").write_bytes(page("pier-repairs"))
    (tmp_path / "pages" / "ferry.htm").write_bytes(page("ferry-timetable"))
    (tmp_path / "a.txt").write_text(" date 2026-03-01 Text file article.", encoding="utf-8")
    write_jsonl(tmp_path / "b.jsonl", [{"text": "Line article."}])
    write_jsonl(tmp_path / "c.jsonl.gz", [{"text": "Gzipped line article."}], compress=True)
    write_warc(tmp_path / "d.warc.gz", [("https://a.example/pier", "text/html", 200, page("pier-repairs"))])
    (tmp_path / "notes.md").write_text("Not an article.", encoding="utf-8")
    records = read([tmp_path])
    assert [r["id"] for r in records[:4]] == ["a", "b:1", "c:1", records[3]["id"]]
    assert records[3]["url"] == "https://a.example/pier"
    assert [r["id"] for r in records[4:]] == ["ferry", "pier"]
    assert set(FORMATS) == {".txt", ".jsonl", ".jsonl.gz", ".html", ".htm", ".warc", ".warc.gz"}


def test_sources_empty_folder_names_what_it_looks_for(tmp_path):
    with pytest.raises(InputError, match=r"E017 .*no \*\.htm or \*\.html or .*\*\.warc\.gz files"):
        read([tmp_path])


def test_sources_count_bytes_read(tmp_path):
    path = write_jsonl(tmp_path / "feed.jsonl", fictional_articles(50))
    inputs = sources([str(path)], on_skip=print)
    assert inputs.total is None
    seen = []
    for _ in inputs:
        seen.append(inputs.done)
    assert inputs.total == path.stat().st_size == inputs.done
    assert seen == sorted(seen) and seen[0] < inputs.total


def test_sources_stdin_has_no_size():
    inputs = sources(["-"], on_skip=print, stdin=io.BytesIO(b'{"text": "From a pipe."}\n'))
    assert [r["text"] for r in inputs] == ["From a pipe."]
    assert inputs.total is None
