"""Which article a record is: its normalised URL, else a hash of its text.

The same article reaches a corpus many times, from the same feed twice, from a
crawl and a JSONL dump, with tracking parameters or ``http`` in one and
``https`` in another. Its key must come out the same each time, so that
ingesting it again changes nothing and a new version of it replaces the old.
"""
from __future__ import annotations

import hashlib
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Query parameters that say how a reader arrived, not which page it is.
TRACKING_PARAMS = frozenset({"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid",
                             "cmpid", "ocid", "smid", "at_medium", "at_campaign"})
DEFAULT_PORTS = {"http": 80, "https": 443}


def normalise_url(url: str) -> str | None:
    """The form of ``url`` that every address of the same page shares, or None when it is no web address.

    Scheme and host are lower-cased and ``http`` becomes ``https``; the default
    port, the fragment, a trailing slash and tracking parameters (``utm_*``,
    ``fbclid`` and the like) go; the remaining query parameters are sorted.
    Path and query keep their case: servers tell ``/Story`` from ``/story``.
    """
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    if ":" in host:
        host = f"[{host}]"  # an IPv6 address keeps its brackets
    if scheme not in DEFAULT_PORTS or not host:
        return None
    netloc = host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    query = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                   if not k.lower().startswith("utm_") and k.lower() not in TRACKING_PARAMS)
    path = parts.path.rstrip("/") or "/"
    return urlunsplit(("https", netloc, path, urlencode(query), ""))


def text_hash(text: str) -> str:
    """The SHA-256 of the text's UTF-8 bytes, in hex."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def article_key(url: str | None, digest: str) -> str:
    """An article's identity: its normalised URL, else ``sha256:`` and ``digest``, its text's hash."""
    normal = normalise_url(url) if url else None
    return normal or f"sha256:{digest}"
