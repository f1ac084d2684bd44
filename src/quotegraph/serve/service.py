"""The one service layer under the JSON API and the HTML pages.

Both call the same methods and get the same plain dicts, so a page shows
exactly what its API route returns. The service checks every argument
(``QueryError`` with a numbered message for bad ones), bounds what a request
may ask for (page sizes, pages, text length, query time), and keeps a short
cache of the corpus-wide aggregates the home page and dashboard show, which
are the same for every visitor until the next ingest.

The server answers requests on a pool of threads, and each thread opens its
own read store (``threading.local``), whichever the backend: a SQLite
connection belongs to one thread, and a PostgreSQL store is one connection,
whose bounded block (``Store.time_limit``) is a transaction that another
thread's queries must not enter. Writes go through one writer store under a
lock: SQLite's single-writer rule (``quotegraph.store.sqlite``), and one ingest
at a time for PostgreSQL too, which would take several but gains nothing here.
"""
from __future__ import annotations

import io
import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from ..corpus import Corpus, checked_date, checked_type
from ..errors import Messages, QueryError
from ..options import Options
from ..pipeline import extract
from ..store.browse import SORTS

# What one request may ask for at most.
MAX_PAGE_SIZE = 100
MAX_PAGE = 500
MAX_WORDS_CHARS = 500          # search text
MAX_FILTER_CHARS = 200         # speaker and outlet names
MAX_ARTICLE_CHARS = 200_000    # one article to extract or ingest (Options.max_chars)
MAX_BATCH = 100                # articles one ingest request may carry
QUERY_SECONDS = 5.0            # a query still running then is stopped (E059)
CACHE_SECONDS = 30.0           # how long corpus-wide aggregates are reused
CACHE_ENTRIES = 256            # and how many (pages of people, outlets) are kept at most


@dataclass(frozen=True, slots=True)
class Page:
    """Which page of results: ``number`` from 1, ``size`` results each."""

    number: int = 1
    size: int = 20

    @classmethod
    def of(cls, number: int, size: int) -> Page:
        """A page after checking both against the caps (E057, E060)."""
        if number < 1 or size < 1:
            raise QueryError(Messages.E057.format(value=f"page {number}, size {size}", minimum=1))
        if number > MAX_PAGE or size > MAX_PAGE_SIZE:
            raise QueryError(Messages.E060.format(page=number, size=size, max_page=MAX_PAGE,
                                                  max_size=MAX_PAGE_SIZE))
        return cls(number, size)

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size


def _text(value: str | None, limit: int, name: str) -> str | None:
    value = (value or "").strip()
    if len(value) > limit:
        raise QueryError(Messages.E061.format(name=name, length=len(value), limit=limit))
    return value or None


class Service:
    """Everything the server answers, over the corpus in ``db``.

    db (str): the corpus database, a SQLite file or a PostgreSQL URL, which must exist (E033).
    options (Options): how ``extract`` and ``ingest`` extract.
    """

    def __init__(self, db: str, *, options: Options | None = None) -> None:
        self.db = db
        self.options = options or Options()
        Corpus(db, create=False).close()  # fails now, with E033 or E030, rather than on the first request
        self._local = threading.local()
        self._write_lock = threading.Lock()
        self._extract_lock = threading.Lock()
        self._cache: dict[tuple[Any, ...], tuple[float, Any]] = {}
        self._cache_lock = threading.Lock()
        self._refreshing: set[tuple[Any, ...]] = set()

    # -- plumbing ------------------------------------------------------------------------

    @property
    def corpus(self) -> Corpus:
        """This thread's own read connection, opened on first use."""
        corpus = getattr(self._local, "corpus", None)
        if corpus is None:
            corpus = self._local.corpus = Corpus(self.db, create=False, options=self.options)
        return corpus

    @contextmanager
    def _bounded(self) -> Iterator[Any]:
        """The store, with every query of the block stopped after ``QUERY_SECONDS`` (E059)."""
        store = self.corpus.store
        with store.time_limit(QUERY_SECONDS):
            yield store

    def _cached(self, key: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
        """``compute()``, reused for ``CACHE_SECONDS``; after that the old value is still served while one
        background thread computes the new one, so no visitor waits on a corpus-wide aggregate but the
        first."""
        now = time.monotonic()
        with self._cache_lock:
            hit = self._cache.get(key)
            stale = hit is not None and now - hit[0] >= CACHE_SECONDS and key not in self._refreshing
            if stale:
                self._refreshing.add(key)
        if hit is not None:
            if stale:
                threading.Thread(target=self._refresh, args=(key, compute), daemon=True).start()
            return hit[1]
        value = compute()
        self._store(key, value)
        return value

    def _refresh(self, key: tuple[Any, ...], compute: Callable[[], Any]) -> None:
        try:
            self._store(key, compute())
        finally:
            with self._cache_lock:
                self._refreshing.discard(key)
            self.close()

    def _store(self, key: tuple[Any, ...], value: Any) -> None:
        with self._cache_lock:
            if len(self._cache) >= CACHE_ENTRIES:
                self._cache.clear()
            self._cache[key] = (time.monotonic(), value)

    def warm(self) -> None:
        """Compute what the home page and the dashboard show, so their first visitor does not wait."""
        try:
            self.home()
            self.dashboard()
        finally:
            self.close()

    def close(self) -> None:
        """Close this thread's read connection, if it opened one."""
        corpus = getattr(self._local, "corpus", None)
        if corpus is not None:
            corpus.close()
            self._local.corpus = None

    def forget(self) -> None:
        """Drop the cached aggregates: the corpus changed."""
        with self._cache_lock:
            self._cache.clear()

    # -- reading -------------------------------------------------------------------------

    def search(self, q: str | None = None, *, speaker: str | None = None, outlet: str | None = None,
               since: str | None = None, until: str | None = None, type: str | None = None,
               sort: str = "relevance", page: Page = Page(), facets: bool = False) -> dict[str, Any]:
        """A page of quotes matching ``q`` and the filters (``Store.search_quotes``).

        RETURNS (dict): ``query`` (the arguments as understood), ``total``, ``page``,
            ``size``, ``pages``, ``quotes``, and with ``facets`` the ``Store.search_facets`` counts.
        """
        if sort not in SORTS:
            raise QueryError(Messages.E062.format(value=sort, sorts=", ".join(SORTS)))
        query = {"q": _text(q, MAX_WORDS_CHARS, "q"), "speaker": _text(speaker, MAX_FILTER_CHARS, "speaker"),
                 "outlet": _text(outlet, MAX_FILTER_CHARS, "outlet"), "since": checked_date(since),
                 "until": checked_date(until), "type": checked_type(type)}
        words, filters = query["q"], {k: v for k, v in query.items() if k != "q"}
        with self._bounded() as store:
            found = store.search_quotes(words, **filters, sort=sort, offset=page.offset, limit=page.size)
            counts = store.search_facets(words, **filters) if facets else None
        result = {"query": {**query, "sort": sort}, "total": found["total"],
                  "page": page.number, "size": page.size, "pages": max(1, -(-found["total"] // page.size)),
                  "quotes": found["quotes"]}
        if counts is not None:
            result["facets"] = counts
        return result

    def quote(self, quote_id: int) -> dict[str, Any]:
        """One quote whole (``Store.cluster``); E052 when there is none."""
        found = self.corpus.store.cluster(quote_id)
        if found is None:
            raise QueryError(Messages.E052.format(id=quote_id, where="this corpus"))
        return found

    def people(self, *, page: Page = Page(), outlet: str | None = None) -> dict[str, Any]:
        """A page of people, most quoted first: ``page``, ``size``, ``people`` (``Corpus.people``'s fields)."""
        outlet = _text(outlet, MAX_FILTER_CHARS, "outlet")
        found = self._cached(("people", page, outlet),
                             lambda: self.corpus.store.people(limit=page.size, offset=page.offset, outlet=outlet))
        return {"page": page.number, "size": page.size, "outlet": outlet, "people": found}

    def person(self, person_id: int, *, page: Page = Page(size=50)) -> dict[str, Any]:
        """One person (``Store.person``) with ``activity`` (``Store.person_activity``) and a page of
        their ``quotes`` (``quotes_total`` counts them all); E063 when there is none."""
        store = self.corpus.store
        found = store.person(person_id)
        if found is None:
            raise QueryError(Messages.E063.format(id=person_id))
        quotes = found["quotes"]
        return {**found, "quotes": quotes[page.offset:page.offset + page.size], "quotes_total": len(quotes),
                "page": page.number, "size": page.size, "pages": max(1, -(-len(quotes) // page.size)),
                "activity": store.person_activity(person_id)}

    def article(self, article_id: int) -> dict[str, Any]:
        """One article with every span (``Store.article_view``); E064 when there is none."""
        found = self.corpus.store.article_view(article_id)
        if found is None:
            raise QueryError(Messages.E064.format(id=article_id))
        return found

    def stats(self) -> dict[str, Any]:
        """``Corpus.stats`` with ``outlets_list``: every outlet, its articles and occurrences."""
        return self._cached(("stats",), lambda: {**self.corpus.stats(), "outlets_list": self.corpus.store.outlets()})

    def home(self) -> dict[str, Any]:
        """What the home page shows: ``latest`` and ``most_repeated`` quotes, ``people`` (the most quoted)
        and ``counts``: ``quotes`` (distinct), ``articles`` and ``outlets``."""
        def counts() -> dict[str, int]:
            stored = self.corpus.store.counts()
            return {"quotes": stored["clusters"], "articles": stored["articles"],
                    "outlets": len(self.corpus.store.outlets())}

        return {"latest": self._cached(("latest",), lambda: self.corpus.store.latest_quotes(8)),
                "most_repeated": self._cached(("repeated",), lambda: self.corpus.store.most_repeated_quotes(8)),
                "people": self._cached(("people", Page(1, 10), None), lambda: self.corpus.store.people(limit=10)),
                "counts": self._cached(("counts",), counts)}

    def dashboard(self, *, outlet: str | None = None) -> dict[str, Any]:
        """The dashboard's series, for the whole corpus or one ``outlet`` (exact name): ``per_day``,
        ``top_speakers``, ``gender_by_month``, ``gender_by_outlet`` and ``outlets``."""
        outlet = _text(outlet, MAX_FILTER_CHARS, "outlet")

        def compute() -> dict[str, Any]:
            store = self.corpus.store
            with store.time_limit(QUERY_SECONDS * 4):
                return {"outlet": outlet, "per_day": store.occurrences_by_day(outlet=outlet),
                        "top_speakers": store.people(limit=10, outlet=outlet),
                        "gender_by_month": store.quoted_people_by_gender(by="month", outlet=outlet),
                        "gender_by_outlet": store.quoted_people_by_gender(by="outlet"),
                        "outlets": store.outlets()}

        return self._cached(("dashboard", outlet), compute)

    # -- extraction and ingest -----------------------------------------------------------

    def extract(self, text: str, *, date: str | None = None, attributions: bool = False) -> dict[str, Any]:
        """The data contract for one article, nothing stored (``quotegraph.extract``)."""
        text = _article_text(text)
        options = Options(**{**self.options.to_dict(), "attributions": attributions})
        # One extraction at a time: the model is shared, and extraction is the costliest request.
        with self._extract_lock:
            return extract(text, date=checked_date(date), options=options).to_dict()

    def ingest(self, articles: list[dict[str, Any]]) -> dict[str, Any]:
        """Add articles to the corpus (``Corpus.ingest``), then cluster; RETURNS what ingest did."""
        if not 1 <= len(articles) <= MAX_BATCH:
            raise QueryError(Messages.E065.format(count=len(articles), limit=MAX_BATCH))
        lines = []
        for article in articles:
            _article_text(article.get("text"))
            checked_date(article.get("date"))
            lines.append(json.dumps(article, ensure_ascii=False))
        jsonl = ("\n".join(lines) + "\n").encode()
        skipped: list[str] = []
        with self._write_lock, Corpus(self.db, create=False, options=self.options) as writer:
            stats = writer.ingest(["-"], stdin=io.BytesIO(jsonl), on_skip=lambda e: skipped.append(str(e)))
        self.forget()
        return {"read": stats.read, "added": stats.added, "replaced": stats.replaced,
                "unchanged": stats.unchanged, "duplicates": stats.duplicates, "skipped": skipped,
                "quotes": stats.quotes, "people": stats.people}


def _article_text(text: Any) -> str:
    if not isinstance(text, str) or not text.strip():
        raise QueryError(Messages.E066)
    if len(text) > MAX_ARTICLE_CHARS:
        raise QueryError(Messages.E061.format(name="text", length=len(text), limit=MAX_ARTICLE_CHARS))
    return text
