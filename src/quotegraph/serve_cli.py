"""``quotegraph serve``: the web UI and JSON API over a corpus database.

Kept apart from the ``serve`` package so that the command (and ``--help``)
loads without the ``serve`` extra; running it without the extra is one
``Error: E072 ...`` line.
"""
from __future__ import annotations

import os

import click

from .errors import Messages, QueryError
from .store.backends import shown


@click.command()
@click.option("--db", default="quotegraph.db", show_default=True, metavar="FILE|URL",
              help="The corpus that `quotegraph ingest` made: a SQLite file, or a PostgreSQL database "
                   "by its postgresql://user:password@host/name URL.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; 0.0.0.0 makes the server reachable from other machines.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="Port to listen on.")
@click.option("--token-env", default="QUOTEGRAPH_TOKEN", show_default=True, metavar="NAME",
              help="Environment variable holding the bearer token that POST /api/articles needs; "
                   "when it is unset, writing is off.")
@click.option("--max-body", type=click.IntRange(min=1024), default=5 * 1024 * 1024, show_default=True,
              metavar="BYTES", help="Largest request body accepted (413 past it).")
@click.option("--rate", type=click.FloatRange(min=0, min_open=True), default=5.0, show_default=True,
              metavar="N", help="Expensive requests (search, extract, ingest) a client may make per second "
                                "after a burst of 20 (429 past it).")
def serve(db: str, host: str, port: int, token_env: str, max_body: int, rate: float) -> None:
    """Serve a corpus: web pages to search and read it, and a JSON API.

    \b
    Pages: /          search, latest and most repeated quotes, most quoted people
           /search    results with facets      /quotes/ID   one quote across outlets
           /people/ID one person, with charts  /articles/ID an article, quotes highlighted
           /extract   paste an article         /dashboard   charts over the corpus
    API:   /api/quotes, /api/quotes/ID, /api/people, /api/people/ID, /api/articles/ID,
           /api/stats, /api/dashboard, POST /api/extract, POST /api/articles;
           reference at /docs, OpenAPI at /openapi.json.

    Reading is open to anyone who can reach the server. Adding articles
    (POST /api/articles) needs the header "Authorization: Bearer TOKEN", where
    TOKEN is the value of the variable --token-env names (it never goes on the
    command line, where other users could read it).

    \b
      quotegraph serve --db sample.db                 then open http://127.0.0.1:8000
      QUOTEGRAPH_TOKEN=s3cret quotegraph serve --db news.db --port 8080
      quotegraph serve --db postgresql://reader@db.example/news --host 0.0.0.0
    """
    try:
        import uvicorn

        from .serve import create_app
    except ImportError as exc:
        raise QueryError(Messages.E072.format(reason=exc)) from None
    token = os.environ.get(token_env) or None
    app = create_app(db, token=token, max_body=max_body, rate=rate)
    writes = "on (bearer token from $" + token_env + ")" if token else f"off (set ${token_env} to turn it on)"
    click.echo(f"Serving {shown(db)} at http://{host}:{port}  (API reference: /docs; writing {writes}; Ctrl-C stops)",
               err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False)
