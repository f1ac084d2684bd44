"""The web application: ``create_app(db)`` builds it, ``quotegraph serve`` runs it.

One FastAPI app holds the JSON API (``api``), the HTML pages (``pages``) and
their static files, over one ``Service``. Errors a client causes end in a
4xx answer carrying quotegraph's numbered message: JSON ``{"error": ...}``
under ``/api``, an error page elsewhere; never a traceback.
"""
from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from .. import __version__
from ..errors import Messages, QueryError, StoreError
from ..options import Options
from .guards import Guard, RateLimit, Refused
from .service import Service
from .views import templates

HERE = Path(__file__).resolve().parent
# Default bounds: 5 MB bodies (a batch of long articles); per client, bursts of 20 expensive
# requests (search, extract, ingest), then 5 a second.
MAX_BODY = 5 * 1024 * 1024
RATE, BURST = 5.0, 20
# Messages that say the thing asked for is not there: answered 404, the other QueryErrors 400.
NOT_FOUND = ("E052", "E053", "E054", "E063", "E064")
STATUS = {"E067": 403, "E068": 401, "E070": 429}

DESCRIPTION = """Quotes found in news articles, who said them, and where they ran.

Read routes are open. `POST /api/articles` adds articles to the corpus and needs
`Authorization: Bearer TOKEN`, the token the server was started with (`quotegraph serve
--token-env NAME`); without one, it answers 403. Errors are `{"error": "E0NN ..."}`.
Expensive routes (search, extract, ingest) are rate-limited per client (429 with
`Retry-After`); bodies over the size limit get 413.
"""


def create_app(db: str, *, token: str | None = None, options: Options | None = None, max_body: int = MAX_BODY,
               rate: float | None = RATE, burst: int = BURST) -> FastAPI:
    """The quotegraph web app over the corpus in ``db``.

    db (str): a corpus made by ``quotegraph ingest``, a SQLite file or a PostgreSQL URL (E033 when missing).
    token (str): the bearer token write requests must send; None turns writing off.
    options (Options): how extract and ingest requests are extracted.
    max_body (int): the largest request body accepted, in bytes (413 past it).
    rate, burst: the per-client limit on expensive requests (None: no limit).
    RETURNS (FastAPI): the app, an ASGI application for uvicorn or httpx.
    """
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # The home page's and dashboard's aggregates, computed while the server starts taking requests.
        threading.Thread(target=app.state.service.warm, daemon=True).start()
        yield

    app = FastAPI(title="quotegraph", version=__version__, description=DESCRIPTION, docs_url=None,
                  redoc_url=None, openapi_url="/openapi.json", lifespan=lifespan)
    app.state.service = Service(db, options=options)
    app.state.token = token or None
    app.state.limit = RateLimit(rate, burst)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    from . import api, pages

    app.include_router(api.router)
    app.include_router(pages.router)
    _handle_errors(app)
    app.add_middleware(Guard, max_body=max_body)
    return app


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"


def _answer(request: Request, status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    if _wants_json(request):
        return JSONResponse({"error": message}, status_code=status, headers=headers)
    return templates.TemplateResponse(request, "error.html", {"status": status, "message": message},
                                      status_code=status, headers=headers)


def _handle_errors(app: FastAPI) -> None:
    @app.exception_handler(QueryError)
    async def query_error(request: Request, exc: QueryError) -> Response:
        code = str(exc)[:4]
        return _answer(request, 404 if code in NOT_FOUND else STATUS.get(code, 400), str(exc))

    @app.exception_handler(StoreError)
    async def store_error(request: Request, exc: StoreError) -> Response:
        return _answer(request, 503, str(exc))

    @app.exception_handler(Refused)
    async def refused(request: Request, exc: Refused) -> Response:
        return _answer(request, exc.status, exc.message, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        reasons = "; ".join(f"{'.'.join(str(p) for p in e['loc'][1:]) or 'body'}: {e['msg']}"
                            for e in exc.errors()[:5])
        route = f"{request.method} {request.url.path}"
        return _answer(request, 422, Messages.E071.format(route=route, reason=reasons))

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        message = "no such page" if exc.status_code == 404 else str(exc.detail)
        return _answer(request, exc.status_code, message, getattr(exc, "headers", None))
