"""Read annotated corpora and fingerprint them.

Gold files are JSONL, one article a line: ``id``, ``text`` and ``quotes``, each
quote with ``start``/``end`` (and optionally ``spans``, ``speaker_mentions``,
``cue``) as Python string offsets into ``text``, end exclusive. An annotation
whose offsets fall outside its text, or run backwards, would silently score as
a miss or a match of nothing, so it is rejected with the file and line.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from ..errors import InputError, Messages


def read_jsonl(path: str | Path) -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield ``("file:line", object)`` for each non-blank line of a JSONL file."""
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            where = f"{path}:{n}"
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(Messages.E101.format(where=where, reason=exc)) from exc
            if not isinstance(obj, dict):
                raise InputError(Messages.E101.format(where=where, reason=type(obj).__name__))
            yield where, obj


def _is_span(value: Any) -> bool:
    return (isinstance(value, (list, tuple)) and len(value) == 2
            and all(isinstance(v, int) and not isinstance(v, bool) for v in value))


def check_gold(doc: Mapping[str, Any], where: str) -> None:
    """Raise ``InputError`` unless ``doc`` is a well-formed gold article."""
    if "id" not in doc:
        raise InputError(Messages.E102.format(where=where, field="id"))
    text = doc.get("text")
    if not isinstance(text, str):
        raise InputError(Messages.E102.format(where=where, field="text"))
    quotes = doc.get("quotes", [])
    if not isinstance(quotes, list) or not all(isinstance(q, dict) for q in quotes):
        raise InputError(Messages.E102.format(where=where, field="quotes"))
    for i, q in enumerate(quotes):
        spans = [("start/end", [q.get("start"), q.get("end")])]
        spans += [("spans", s) for s in q.get("spans") or []]
        spans += [("speaker_mentions", s) for s in q.get("speaker_mentions") or []]
        if q.get("cue") is not None:
            spans.append(("cue", q["cue"]))
        for field, span in spans:
            if not _is_span(span):
                raise InputError(Messages.E102.format(where=f"{where} quote {i}", field=field))
            if not 0 <= span[0] <= span[1] <= len(text):
                raise InputError(Messages.E103.format(where=where, index=i, field=field,
                                                      span=list(span), length=len(text)))


def read_gold(path: str | Path) -> Iterator[dict[str, Any]]:
    """Stream the articles of a gold JSONL file, each checked by ``check_gold``."""
    for where, doc in read_jsonl(path):
        check_gold(doc, where)
        yield doc


def read_predictions(path: str | Path) -> dict[Any, dict[str, Any]]:
    """Predicted articles by ``id`` (a later line with the same id wins, as in the grader)."""
    return {doc.get("id"): doc for _, doc in read_jsonl(path)}


def sha256_file(path: str | Path) -> str:
    """Hex sha256 of a file's bytes: pins a corpus, so floors are never compared across edits."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
