"""The HTML pages: each calls the same ``Service`` method as its API route and renders the result.

Server-rendered, so every page works without JavaScript; the one script
(``static/app.js``) only adds conveniences. Expensive pages share the API's
rate limit.
"""
from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from ..errors import QueryError
from .api import PageNumber, Service_, expensive
from .service import Page
from .views import templates

router = APIRouter(default_response_class=HTMLResponse, include_in_schema=False)
Text = Annotated[str | None, Query()]


def _page(request: Request, name: str, **context: Any) -> Response:
    return templates.TemplateResponse(request, name, context)


@router.get("/")
def home(request: Request, svc: Service_) -> Response:
    return _page(request, "home.html", **svc.home())


@router.get("/search", dependencies=[Depends(expensive)])
def search(request: Request, svc: Service_, q: Text = None, speaker: Text = None, outlet: Text = None,
           type: Text = None, since: Text = None, until: Text = None, sort: str = "relevance",
           page: PageNumber = 1) -> Response:
    result = svc.search(q, speaker=speaker, outlet=outlet, since=since, until=until, type=type or None,
                        sort=sort, page=Page.of(page, 20), facets=True)
    return _page(request, "search.html", result=result, query=result["query"])


@router.get("/quotes/{quote_id}")
def quote(request: Request, quote_id: int, svc: Service_) -> Response:
    return _page(request, "quote.html", quote=svc.quote(quote_id))


@router.get("/people")
def people(request: Request, svc: Service_, page: PageNumber = 1, outlet: Text = None) -> Response:
    return _page(request, "people.html", result=svc.people(page=Page.of(page, 50), outlet=outlet))


@router.get("/people/{person_id}")
def person(request: Request, person_id: int, svc: Service_, page: PageNumber = 1) -> Response:
    return _page(request, "person.html", person=svc.person(person_id, page=Page.of(page, 50)))


@router.get("/articles/{article_id}")
def article(request: Request, article_id: int, svc: Service_) -> Response:
    return _page(request, "article.html", article=svc.article(article_id))


@router.get("/dashboard")
def dashboard(request: Request, svc: Service_, outlet: Text = None) -> Response:
    return _page(request, "dashboard.html", data=svc.dashboard(outlet=outlet))


@router.get("/extract")
def extract_form(request: Request) -> Response:
    return _page(request, "extract.html", text="", date="", result=None, error=None)


@router.post("/extract", dependencies=[Depends(expensive)])
async def extract(request: Request, svc: Service_) -> Response:
    """The pasted article annotated; nothing is stored. A form post, read here so that no
    multipart parser is needed (the form is urlencoded)."""
    form = parse_qs((await request.body()).decode("utf-8", "replace"), keep_blank_values=True)
    text, date = form.get("text", [""])[0], form.get("date", [""])[0].strip()
    try:
        result = await run_in_threadpool(svc.extract, text, date=date or None)
        error = None
    except QueryError as exc:
        result, error = None, str(exc)
    response = _page(request, "extract.html", text=text, date=date, result=result, error=error)
    if error:
        response.status_code = 400
    return response


@router.get("/docs")
def docs(request: Request) -> Response:
    """The API reference, from the OpenAPI document: no Swagger bundle from a CDN, no inline script."""
    return _page(request, "docs.html", api=request.app.openapi())
