"""Errors quotegraph raises, each with a stable code.

    QuotegraphError            base class: catch this to catch them all
    ├── InputError             an article or input file quotegraph cannot read
    └── ModelError             the configured spaCy pipeline cannot be loaded

Messages live here under codes (``E001``) so call sites only format and raise,
and users can search for the code.
"""
from __future__ import annotations


class QuotegraphError(Exception):
    """Base class of every error quotegraph raises on purpose."""


class InputError(QuotegraphError, ValueError):
    """Input that cannot be read as an article."""


class ModelError(QuotegraphError, RuntimeError):
    """The spaCy pipeline named in the options cannot be loaded."""


class Messages:
    """Message templates, each prefixed by its code."""

    E001 = "E001 text must be a str, not {type}"
    E002 = "E002 {model!r} is not an installed spaCy pipeline: install it (see README) or set QUOTEGRAPH_MODEL"
    E003 = "E003 {model!r} lacks the components quotegraph needs: {missing}"
