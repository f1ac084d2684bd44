"""The templates and the small filters they use.

Autoescaping is on for every template, whatever its name: article text, titles,
names and URLs are all untrusted, and nothing in the templates marks text
safe. A URL becomes a link only when it is http or https (``href``), so a
``javascript:`` URL from an article stays text.
"""
from __future__ import annotations

from typing import Any
from urllib.parse import urlencode, urlsplit

import jinja2
from fastapi.templating import Jinja2Templates

from ..reports import VARIANT_LABELS, word_diff_parts
from . import charts, highlight


def href(url: str | None) -> str | None:
    """``url`` when it is an absolute http(s) URL, else None (never a ``javascript:`` or ``data:`` link)."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url.strip() if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def with_query(query: dict[str, Any], **changes: Any) -> str:
    """``?...``: the query of the current page with ``changes`` (None drops a field), page back to 1
    unless a page is given."""
    merged = {**{k: v for k, v in query.items() if v not in (None, "")}, "page": None, **changes}
    return "?" + urlencode({k: v for k, v in merged.items() if v not in (None, "")})


def search_rows(items: Any, field: str, *, label: Any = 0, value: Any = 1, **fixed: Any) -> list[tuple[str, Any, str]]:
    """(label, value, link) rows for a bar chart from pairs or dicts (``item[label]``, ``item[value]``):
    each label links to the search for it in ``field``, with the ``fixed`` filters that are set."""
    extra = {k: v for k, v in fixed.items() if v}
    return [(str(item[label]), item[value], "/search?" + urlencode({field: item[label], **extra})) for item in items]


def api_type(schema: dict[str, Any]) -> str:
    """An OpenAPI schema as a short type name for the API page: ``string``, ``integer | null``, ``ArticleIn``."""
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " | ".join(api_type(s) for s in schema["anyOf"])
    if schema.get("type") == "array":
        return f"list of {api_type(schema.get('items', {}))}"
    return str(schema.get("type", "object"))


def number(value: Any) -> str:
    return f"{value:,}" if isinstance(value, int) else str(value)


def share(value: float) -> str:
    return f"{value:.0%}"


environment = jinja2.Environment(
    loader=jinja2.PackageLoader("quotegraph.serve", "templates"), autoescape=True,
    trim_blocks=True, lstrip_blocks=True)
environment.filters.update(number=number, share=share, href=href)
environment.globals.update(
    with_query=with_query, variant_labels=VARIANT_LABELS, word_diff=word_diff_parts, charts=charts,
    search_rows=search_rows, api_type=api_type, segments=highlight.segments, legend=highlight.legend,
    speaker_colours=highlight.speaker_colours, tip=highlight.tip)
templates = Jinja2Templates(env=environment)
