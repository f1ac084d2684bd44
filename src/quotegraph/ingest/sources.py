"""What ingest reads: everything ``quotegraph extract`` reads, plus gzipped JSONL, HTML pages and WARC crawls.

An HTML page becomes an article through trafilatura, which finds its main
text, title, date, URL and site name. The text is trafilatura's, its
paragraphs set apart by blank lines, the way quotegraph reads paragraphs; every
offset stored for the article points into that text. A WARC archive is read
record by record (warcio), and only its HTML responses become articles, so a
crawl of any size costs the memory of one page.
"""
from __future__ import annotations

import contextlib
import io
import re
import zlib
from importlib import resources
from collections.abc import Iterator, Sequence
from typing import BinaryIO

from .. import readers
from ..errors import InputError, Messages
from ..readers import FileReader, Inputs, OnSkip, Record

# Main text of fewer words than this is a menu, a list of links or an error
# page, not an article: the shortest news brief runs to a few sentences.
MIN_WORDS = 15
# Larger pages are not read; trafilatura's own download limit.
MAX_HTML_BYTES = 20_000_000
HTML_TYPES = ("text/html", "application/xhtml+xml")


def html_record(html: bytes, *, where: str, id: str, url: str | None = None) -> Record:
    """The article of an HTML page: main text, and ``url``, ``title``, ``date``, ``outlet`` when found.

    url (str): where the page was fetched from; it wins over the page's own canonical link.
    Raises ``InputError`` for a binary file (E013) or a page without an article (E020).
    """
    import trafilatura  # imported here: only HTML input pays for loading it

    nul = html.find(b"\0")
    if nul >= 0:
        raise InputError(Messages.E013.format(where=where, pos=nul))
    doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False)
    lines = (doc.text or "").splitlines() if doc else []
    text = "\n\n".join(line.strip() for line in lines if line.strip())
    words = len(text.split())
    if words < MIN_WORDS:
        raise InputError(Messages.E020.format(where=where, words=words, minimum=MIN_WORDS))
    record: Record = {"id": id, "text": text}
    found = {"url": url or doc.url, "title": doc.title, "date": doc.date, "outlet": doc.sitename or doc.hostname}
    record.update((name, value) for name, value in found.items() if value)
    return record


def read_html(file: BinaryIO, where: str, stem: str, on_skip: OnSkip) -> Iterator[Record]:
    """An HTML file is one page; its id is the file name without ``.html``."""
    html = file.read(MAX_HTML_BYTES + 1)
    if len(html) > MAX_HTML_BYTES:
        raise InputError(Messages.E023.format(where=where, limit=MAX_HTML_BYTES))
    yield html_record(html, where=where, id=stem)


def read_warc(file: BinaryIO, where: str, stem: str, on_skip: OnSkip) -> Iterator[Record]:
    """The articles of a WARC or WARC.gz crawl: one for each successful HTML response.

    Other records (requests, metadata, images, redirects) are no articles and
    pass silently; an HTML response without an article goes to ``on_skip``.
    Each article's id is its WARC-Record-ID and its URL the WARC-Target-URI.
    A damaged archive raises ``InputError`` (E022) after the articles read before the damage.
    """
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    records = ArchiveIterator(file)
    try:
        while True:
            # warcio writes a warning per damaged record to stderr, over any progress
            # bar; it also counts them, and the count is reported below instead.
            with contextlib.redirect_stderr(io.StringIO()):
                record = next(records, None)
            if record is None:
                break
            if record.rec_type != "response" or record.http_headers is None:
                continue
            kind = record.http_headers.get_header("Content-Type", "").split(";")[0].strip().lower()
            if kind not in HTML_TYPES or record.http_headers.get_statuscode() != "200":
                continue
            url = record.rec_headers.get_header("WARC-Target-URI")
            page = f"{where}, {url}"
            html = record.content_stream().read(MAX_HTML_BYTES + 1)
            try:
                if len(html) > MAX_HTML_BYTES:
                    raise InputError(Messages.E023.format(where=page, limit=MAX_HTML_BYTES))
                article = html_record(html, where=page, id=record.rec_headers.get_header("WARC-Record-ID"), url=url)
            except InputError as error:
                on_skip(error)
                continue
            yield article
    except ArchiveLoadFailed as exc:
        # Its message goes on to quote the bad line, binary and all: keep the first clause.
        raise InputError(Messages.E022.format(where=where, reason=str(exc).split(",")[0])) from exc
    except (OSError, EOFError, zlib.error) as exc:
        raise InputError(Messages.E022.format(where=where, reason=exc)) from exc
    if records.err_count:
        raise InputError(Messages.E022.format(
            where=where, reason=f"{records.err_count} records are not where the archive says"))


FORMATS: dict[str, FileReader] = {
    **readers.FORMATS,
    ".jsonl.gz": readers.read_jsonl_gz,
    ".html": read_html,
    ".htm": read_html,
    ".warc": read_warc,
    ".warc.gz": read_warc,
}
"""What ingest reads: file-name ending to reader. A file named alone with another ending is one text article."""


# A bundled sample's file name: its outlet, then its date ("harbour-gazette-2026-03-02-ferry-strike").
SAMPLE_NAME = re.compile(r"(?P<outlet>.+?)-\d{4}-\d{2}-\d{2}-")


def read_sample(file: BinaryIO, where: str, stem: str, on_skip: OnSkip) -> Iterator[Record]:
    """A bundled sample article, its outlet named by its file ("harbour-gazette-..." is Harbour Gazette)."""
    for record in readers.FORMATS[".txt"](file, where, stem, on_skip):
        named = SAMPLE_NAME.match(stem)
        if named:
            record["outlet"] = named["outlet"].replace("-", " ").title()
        yield record


def sources(paths: Sequence[str], *, on_skip: OnSkip, stdin: BinaryIO | None = None, sample: bool = False) -> Inputs:
    """The articles of ``paths`` in every format ingest reads, with how far reading has got.

    sample (bool): read the sample articles bundled with quotegraph instead.
    """
    if sample:
        folder = resources.files("quotegraph").joinpath("samples")
        return Inputs([str(folder)], on_skip=on_skip, formats={".txt": read_sample})
    return Inputs(paths, stdin=stdin, on_skip=on_skip, formats=FORMATS)
