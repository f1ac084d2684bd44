"""Compose the stages: read -> parse -> find quotes -> resolve people -> attribute.

Only this module strings the stages together; each stage is a pure function of
a parsed ``Doc`` (and the results of earlier stages).
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from .errors import InputError, Messages
from .model import ArticleResult
from .options import Options

# The plain-text article format: " date YYYY-MM-DD " then the article.
DATE_HEADER = re.compile(r"\A\s*date\s+(\d{4}-\d{2}-\d{2})\s")


def parse_date_header(text: str) -> tuple[str | None, int]:
    """Return the date of a ``date YYYY-MM-DD`` header and where the body starts (0 without one)."""
    m = DATE_HEADER.match(text)
    return (m.group(1), m.end()) if m else (None, 0)


def extract(text: str, *, date: str | None = None, id: str | None = None,
            options: Options | None = None) -> ArticleResult:
    """Find every quotation in one article and attribute it.

    text (str): the article exactly as given; every offset in the result points into it.
    date (str): the article's date; when omitted, read from a ``date`` header if any.
    id (str): passed through to the result.
    RETURNS (ArticleResult): quotes and people, with ``.to_dict()``.
    """
    raise NotImplementedError


def extract_many(articles: Iterable[str | Mapping[str, Any]], *, jobs: int = 1,
                 options: Options | None = None, batch_size: int = 16) -> Iterator[ArticleResult]:
    """Extract from many articles, in input order, over ``jobs`` processes.

    articles: texts, or mappings with ``text`` and optional ``id`` and ``date``.
    """
    raise NotImplementedError
