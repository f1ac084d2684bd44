"""The JSON API under ``/api``: each route checks its arguments and returns what ``Service`` returns.

OpenAPI at ``/openapi.json``, read as a page at ``/docs``. Expensive routes
(search, extract, ingest) count against the client's rate limit; writing
needs the bearer token the server was started with.
"""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Query, Request
from pydantic import BaseModel, Field

from ..errors import Messages
from .guards import Refused, token_matches
from .service import MAX_PAGE_SIZE, Page, Service

router = APIRouter(prefix="/api")


def service(request: Request) -> Service:
    return request.app.state.service


def expensive(request: Request) -> None:
    """Count the request against its client's rate limit; 429 with ``Retry-After`` past it."""
    wait = request.app.state.limit.wait(request.client.host if request.client else "unknown")
    if wait:
        raise Refused(429, Messages.E070.format(seconds=wait), {"Retry-After": str(wait)})


def writer(request: Request) -> None:
    """Let the request write only with the server's bearer token: 403 when writing is off, 401 when the
    token is missing or wrong (compared in constant time)."""
    expected = request.app.state.token
    if expected is None:
        raise Refused(403, Messages.E067)
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token_matches(given.strip(), expected):
        raise Refused(401, Messages.E068, {"WWW-Authenticate": "Bearer"})


Service_ = Annotated[Service, Depends(service)]
PageNumber = Annotated[int, Query(ge=1, description="Page number, from 1.")]
PageSize = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description=f"Results a page, at most {MAX_PAGE_SIZE}.")]


class ArticleIn(BaseModel):
    """One article: only ``text`` is required. An article is known by its URL, else by its text."""

    text: str = Field(description="The article's text, exactly as offsets will count it.")
    id: str | None = Field(None, description="Your id for it, kept as its source id.")
    url: str | None = None
    title: str | None = None
    date: str | None = Field(None, description="YYYY-MM-DD; else read from a ` date ` header of the text.")
    outlet: str | None = None


class Batch(BaseModel):
    """Several articles in one request."""

    articles: list[ArticleIn]


class ExtractIn(BaseModel):
    """An article to extract from; nothing is stored."""

    text: str
    date: str | None = Field(None, description="YYYY-MM-DD")
    attributions: bool = Field(False, description="Report every attribution relation (PARC), not only speech.")


@router.get("/quotes", dependencies=[Depends(expensive)])
def search_quotes(
    svc: Service_,
    q: Annotated[str | None, Query(description="Words every matching occurrence holds (any English form).")] = None,
    speaker: Annotated[str | None, Query(description="Part of the speaker's name, any case.")] = None,
    outlet: Annotated[str | None, Query(description="Part of the outlet's name, any case.")] = None,
    type: Annotated[str | None, Query(description="direct, partial or indirect.")] = None,
    since: Annotated[str | None, Query(description="On or after: YYYY-MM-DD, YYYY-MM or YYYY.")] = None,
    until: Annotated[str | None, Query(description="On or before (a month or year: all of it).")] = None,
    sort: Annotated[str, Query(description="relevance, date (latest first) or occurrences (most first).")]
    = "relevance",
    page: PageNumber = 1, size: PageSize = 20,
    facets: Annotated[bool, Query(description="Also count the matches by speaker, outlet, type, month.")] = False,
) -> dict[str, Any]:
    """Search quotes by their words and filters: a page of quotes, each with its matching occurrences.

    Without `q`, a filter lists every quote passing it. `total` counts the matching quotes, `pages`
    the pages of `size` they fill.
    """
    return svc.search(q, speaker=speaker, outlet=outlet, since=since, until=until, type=type, sort=sort,
                      page=Page.of(page, size), facets=facets)


@router.get("/quotes/{quote_id}")
def get_quote(quote_id: int, svc: Service_) -> dict[str, Any]:
    """One quote: canonical text, the speaker vote, and every occurrence with its variant and changes.

    `quote_id` is the quote's id or the key of any of its occurrences.
    """
    return svc.quote(quote_id)


@router.get("/people")
def list_people(svc: Service_, page: PageNumber = 1, size: PageSize = 20,
                outlet: Annotated[str | None, Query(description="Count only this outlet's articles.")] = None,
                ) -> dict[str, Any]:
    """People and organisations merged across articles, most quoted first."""
    return svc.people(page=Page.of(page, size), outlet=outlet)


@router.get("/people/{person_id}")
def get_person(person_id: int, svc: Service_, page: PageNumber = 1, size: PageSize = 50) -> dict[str, Any]:
    """One person: names, descriptors, gender with its evidence, activity by day and outlet, quotes."""
    return svc.person(person_id, page=Page.of(page, size))


@router.get("/articles/{article_id}")
def get_article(article_id: int, svc: Service_) -> dict[str, Any]:
    """One article: its text and metadata, and every quote and person with their character offsets."""
    return svc.article(article_id)


@router.get("/stats")
def stats(svc: Service_) -> dict[str, Any]:
    """Totals over the corpus: articles, outlets, quotes, people, quoted people by gender."""
    return svc.stats()


@router.get("/dashboard")
def dashboard(svc: Service_, outlet: Annotated[str | None, Query(description="One outlet's articles only.")]
              = None) -> dict[str, Any]:
    """The dashboard's series: occurrences per day, top speakers, quoted people by gender per month and
    per outlet, and every outlet."""
    return svc.dashboard(outlet=outlet)


@router.post("/extract", dependencies=[Depends(expensive)])
def extract(article: ExtractIn, svc: Service_) -> dict[str, Any]:
    """Extract the quotes of one article and attribute them: the data contract, nothing stored."""
    return svc.extract(article.text, date=article.date, attributions=article.attributions)


@router.post("/articles", dependencies=[Depends(writer), Depends(expensive)])
def add_articles(body: Annotated[Batch | ArticleIn, Body()], svc: Service_) -> dict[str, Any]:
    """Add one article, or a batch as `{"articles": [...]}`, to the corpus; then cluster again.

    Needs `Authorization: Bearer TOKEN`. Returns what ingest did: read, added, replaced,
    unchanged, duplicates, skipped (with why), quotes and people found.
    """
    articles = body.articles if isinstance(body, Batch) else [body]
    return svc.ingest([a.model_dump(exclude_none=True) for a in articles])
